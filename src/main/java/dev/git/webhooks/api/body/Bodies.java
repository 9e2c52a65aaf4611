package dev.git.webhooks.api.body;

/** What every typed request body shares. */
public final class Bodies {

    /** The message of a body that is missing or not a JSON object, named {@code body}. */
    public static final String JSON_OBJECT = "must be a JSON object";

    private Bodies() {
    }
}
