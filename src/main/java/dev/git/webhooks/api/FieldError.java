package dev.git.webhooks.api;

/** One invalid field of a request: its name as the client wrote it, and what is wrong with it. */
public record FieldError(String field, String message) {
}
