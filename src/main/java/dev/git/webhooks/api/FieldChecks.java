package dev.git.webhooks.api;

import java.util.ArrayList;
import java.util.List;

/** Collects every invalid field of a request, so that one answer names them all. */
public final class FieldChecks {

    private final List<FieldError> errors = new ArrayList<>();

    public FieldChecks check(boolean ok, String field, String message) {
        if (!ok) {
            add(field, message);
        }
        return this;
    }

    public FieldChecks add(String field, String message) {
        if (errors.stream().noneMatch(e -> e.field().equals(field))) {
            errors.add(new FieldError(field, message));
        }
        return this;
    }

    public boolean failed(String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }

    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }
}
