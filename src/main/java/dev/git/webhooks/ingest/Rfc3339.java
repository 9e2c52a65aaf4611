package dev.git.webhooks.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict RFC 3339 date-times within the range that both the contract and PostgreSQL's {@code timestamptz} accept.
 * {@code OffsetDateTime.parse} is not enough: it takes years 0000, negative and five-digit years and offsets with
 * seconds ({@code +01:00:00}), which PostgreSQL then refuses, and one such record used to stop ingest for good.
 */
public final class Rfc3339 {

    /** The earliest instant an event may carry: timestamps run from 1970-01-01 to 9999-12-31 UTC. */
    public static final Instant MIN = Instant.parse("1970-01-01T00:00:00Z");
    /** The latest: PostgreSQL keeps microseconds, so anything after this would not be the same instant stored. */
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** date-time of RFC 3339 §5.6: four-digit year, 'T' (or 't'), optional fraction, 'Z' (or 'z') or ±hh:mm. */
    private static final Pattern DATE_TIME = Pattern.compile("([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]"
            + "([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]{1,9}))?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))");

    private Rfc3339() {
    }

    /**
     * The instant of {@code value}, or null when it is not a strict RFC 3339 date-time between {@link #MIN} and
     * {@link #MAX} once its offset is applied. Leap seconds ({@code :60}) and more than nine fraction digits are
     * refused.
     */
    public static Instant parse(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = DATE_TIME.matcher(value);
        if (!m.matches()) {
            return null;
        }
        try {
            String fraction = m.group(7) == null ? "" : m.group(7);
            int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
            LocalDateTime local = LocalDateTime.of(number(m, 1), number(m, 2), number(m, 3), number(m, 4),
                    number(m, 5), number(m, 6), nanos);
            long offsetSeconds = 0;
            if (m.group(8) != null) {
                int hours = number(m, 9);
                int minutes = number(m, 10);
                if (hours > 23 || minutes > 59) {
                    return null;
                }
                offsetSeconds = (hours * 3600L + minutes * 60L) * ("-".equals(m.group(8)) ? -1 : 1);
            }
            Instant instant = Instant.ofEpochSecond(local.toEpochSecond(ZoneOffset.UTC) - offsetSeconds, nanos);
            return instant.isBefore(MIN) || instant.isAfter(MAX) ? null : instant;
        } catch (DateTimeException e) {
            return null; // month 13, February 30, hour 24, second 60…
        }
    }

    /** True when {@code instant} can be stored as it is (see {@link #MIN}, {@link #MAX}). */
    public static boolean inRange(Instant instant) {
        return !instant.isBefore(MIN) && !instant.isAfter(MAX);
    }

    private static int number(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }
}
