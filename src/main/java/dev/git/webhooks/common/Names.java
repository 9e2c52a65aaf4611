package dev.git.webhooks.common;

import java.util.regex.Pattern;

/** The shapes of names shared by the API and the events: owners ({@code acme}) and repos ({@code acme/api}). */
public final class Names {

    /** An owner's name, as a regular expression (for Bean Validation's {@code @Pattern}). */
    public static final String OWNER_REGEX = "[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,98}[A-Za-z0-9])?";
    /**
     * The same, anchored: Bean Validation matches the whole value either way, but an OpenAPI (JSON Schema)
     * {@code pattern} matches anywhere in it, so the document needs the anchors to say the same.
     */
    public static final String OWNER_PATTERN = "^" + OWNER_REGEX + "$";
    private static final Pattern OWNER = Pattern.compile(OWNER_REGEX);
    private static final Pattern REPO = Pattern.compile(OWNER.pattern() + "/[A-Za-z0-9_.-]{1,100}");

    public static final String OWNER_RULE = "must be 1-100 letters, digits, '-', '_' or '.', starting and ending "
            + "with a letter or digit";
    public static final String REPO_RULE = "must be owner/name";

    private Names() {
    }

    public static boolean isOwner(String value) {
        return value != null && OWNER.matcher(value).matches();
    }

    public static boolean isRepo(String value) {
        return value != null && REPO.matcher(value).matches();
    }

    public static String ownerOfRepo(String repo) {
        return repo.substring(0, repo.indexOf('/'));
    }
}
