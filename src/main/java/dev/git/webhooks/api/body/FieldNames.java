package dev.git.webhooks.api.body;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.git.webhooks.api.FieldError;

/**
 * The name a client knows a field by, whether Bean Validation or Jackson found it wrong: the JSON name
 * ({@code grace_period_seconds}), and for a list of values the list itself ({@code events}, not {@code events[0]}).
 */
public final class FieldNames {

    private FieldNames() {
    }

    /** Every violation as a field error, sorted by field. */
    public static List<FieldError> errors(Set<? extends ConstraintViolation<?>> violations) {
        return violations.stream().map(v -> new FieldError(of(v.getPropertyPath()), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field())).toList();
    }

    /** A bean-validation path such as {@code create.body.gracePeriodSeconds} names {@code grace_period_seconds}. */
    public static String of(Path path) {
        String last = "";
        for (Path.Node node : path) {
            if (node.getName() != null && !node.getName().startsWith("<")) {
                last = node.getName();
            }
        }
        return last.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }

    /**
     * The field a Jackson error is about ({@code a.b}), empty when it is about the body itself. An item of a list of
     * values is named by its list ({@code events}); a field of an object in a list by its place
     * ({@code headers[0].secret}).
     */
    public static String of(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < path.size(); i++) {
            JsonMappingException.Reference ref = path.get(i);
            if (ref.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0 && i < path.size() - 1 && !out.isEmpty()) {
                out.append('[').append(ref.getIndex()).append(']');
            } else {
                break;
            }
        }
        return out.toString();
    }

    /** Whether the error is about an item of a list of values rather than a field. */
    static boolean inList(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        JsonMappingException.Reference last = path.isEmpty() ? null : path.get(path.size() - 1);
        return last != null && last.getFieldName() == null && last.getIndex() >= 0;
    }

    /** What a field of the target type must be, said as the hand checks have always said it. */
    public static String wrongType(JsonMappingException e) {
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        if (inList(e) || (target != null && Collection.class.isAssignableFrom(target))) {
            return "must be a list of strings";
        }
        if (target == String.class) {
            return "must be a string";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "must be true or false";
        }
        if (target != null && (Number.class.isAssignableFrom(target) || target.isPrimitive())) {
            return "must be a whole number";
        }
        return "has the wrong type";
    }
}
