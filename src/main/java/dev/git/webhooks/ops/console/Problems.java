package dev.git.webhooks.ops.console;

import java.util.List;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.api.FieldError;
import io.quarkus.qute.TemplateData;

/**
 * What was wrong with a form, shown on the form itself (which keeps what was typed): a summary at its top and each
 * field's message under that field, which is marked {@code aria-invalid} and described by it.
 */
@TemplateData
public record Problems(String summary, List<FieldError> fields) {

    public static final Problems NONE = new Problems(null, List.of());

    /** The problems a refused request names; its message alone when it names no field. */
    static Problems of(ApiException e) {
        Object fields = e.details() == null ? null : e.details().get("fields");
        List<FieldError> named = fields instanceof List<?> list ? list.stream().filter(FieldError.class::isInstance)
                .map(FieldError.class::cast).toList() : List.of();
        return new Problems(named.size() > 1 ? "Check " + named.size() + " fields below." : e.getMessage(), named);
    }

    public static Problems of(String summary) {
        return new Problems(summary, List.of());
    }

    public boolean any() {
        return summary != null || !fields.isEmpty();
    }

    public boolean has(String field) {
        return fields.stream().anyMatch(f -> f.field().equals(field));
    }

    public String message(String field) {
        return fields.stream().filter(f -> f.field().equals(field)).map(FieldError::message).findFirst().orElse("");
    }
}
