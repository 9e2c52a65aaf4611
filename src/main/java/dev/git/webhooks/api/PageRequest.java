package dev.git.webhooks.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code ?limit=&cursor=} of a list. Lists run newest first over an insert sequence, so a cursor ("everything
 * older than row n") stays valid and skips or repeats nothing while rows are inserted.
 */
public record PageRequest(int limit, long before) {

    public static final int DEFAULT_LIMIT = 30;
    public static final int MAX_LIMIT = 100;
    private static final String PREFIX = "v1:";

    public static PageRequest parse(String limit, String cursor) {
        return new PageRequest(parseLimit(limit), parseCursor(cursor));
    }

    /** Rows to fetch: one more than shown, to learn whether there is a next page. */
    public int fetchSize() {
        return limit + 1;
    }

    static String cursorAfter(long seq) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + seq).getBytes(StandardCharsets.US_ASCII));
    }

    private static int parseLimit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static long parseCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Long.MAX_VALUE;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (raw.startsWith(PREFIX)) {
                long seq = Long.parseLong(raw.substring(PREFIX.length()));
                if (seq > 0) {
                    return seq;
                }
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiException.invalid("cursor", "is not a cursor that this list gave out");
    }
}
