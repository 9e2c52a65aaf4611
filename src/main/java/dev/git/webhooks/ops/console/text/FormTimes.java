package dev.git.webhooks.ops.console.text;

import java.util.regex.Pattern;

/**
 * Times typed into console forms. A browser's {@code datetime-local} field sends {@code 2026-12-06T14:35} (or with
 * seconds), without an offset; the console labels those fields UTC and reads them so. Anything else (an RFC 3339
 * value in a link) passes as it is, for the service to check.
 */
public final class FormTimes {

    private static final Pattern LOCAL = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?");

    private FormTimes() {
    }

    /** The value as RFC 3339 in UTC when it has no offset; null when blank. */
    public static String utc(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        return LOCAL.matcher(v).matches() ? v + (v.length() == 16 ? ":00Z" : "Z") : v;
    }
}
