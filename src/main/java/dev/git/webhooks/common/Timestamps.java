package dev.git.webhooks.common;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An RFC 3339 date-time as this service reads it ({@code 2025-01-20T14:35:22Z}, {@code …22.5+01:00}): a four-digit
 * year from 0001 to 9999, so that every value read is one PostgreSQL stores and compares. {@code java.time} alone
 * also takes {@code +10000-01-01T00:00:00Z}, negative years and more. The API's {@code since} and {@code until}.
 */
public final class Timestamps {

    public static final String RULE = "must be an RFC 3339 date-time from year 0001 to 9999, such as "
            + "2025-01-20T14:35:22Z";
    private static final Pattern RFC_3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");
    private static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private Timestamps() {
    }

    public static Optional<Instant> parse(String value) {
        if (value == null || !RFC_3339.matcher(value).matches()) {
            return Optional.empty();
        }
        try {
            Instant instant = OffsetDateTime.parse(value.toUpperCase(Locale.ROOT)).toInstant();
            return instant.isBefore(MIN) || instant.isAfter(MAX) ? Optional.empty() : Optional.of(instant);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
