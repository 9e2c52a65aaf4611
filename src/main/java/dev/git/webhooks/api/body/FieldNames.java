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
 * ({@code grace_period_seconds}), and for a list the list itself ({@code events}, not {@code events[0]}).
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

    /** The field a Jackson error is about ({@code a.b}), empty when it is about the body itself. */
    public static String of(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() == null) {
                break;
            }
            out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
        }
        return out.toString();
    }

    /** Whether the error is about an item of a list rather than the field itself. */
    static boolean inList(JsonMappingException e) {
        return e.getPath().stream().anyMatch(ref -> ref.getFieldName() == null && ref.getIndex() >= 0);
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
