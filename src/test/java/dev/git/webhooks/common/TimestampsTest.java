package dev.git.webhooks.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void readsRfc3339WithAnyOffsetAndFraction() {
        assertEquals(Instant.parse("2025-01-20T14:35:22Z"), Timestamps.parse("2025-01-20T14:35:22Z").orElseThrow());
        assertEquals(Instant.parse("2025-01-20T13:35:22.5Z"),
                Timestamps.parse("2025-01-20t14:35:22.5+01:00").orElseThrow());
        assertEquals(Instant.parse("0001-01-01T00:00:00Z"), Timestamps.parse("0001-01-01T00:00:00z").orElseThrow());
        assertEquals(Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Timestamps.parse("9999-12-31T23:59:59.999999999Z").orElseThrow());
    }

    @Test
    void refusesWhatPostgresCannotStoreOrRfc3339DoesNotAllow() {
        for (String value : List.of("0000-01-01T00:00:00Z", "0001-01-01T00:30:00+01:00", "+10000-01-01T00:00:00Z",
                "-0001-01-01T00:00:00Z", "9999-12-31T23:30:00-01:00", "2025-01-20", "2025-01-20 14:35:22Z",
                "2025-01-20T14:35Z", "2025-01-20T14:35:22", "2025-01-20T14:35:22+01:00:00", "2025-02-30T00:00:00Z",
                "2025-01-20T24:00:00Z", "2025-01-20T14:35:22+19:00", "", " 2025-01-20T14:35:22Z", "٢٠٢٥-01-20T14:35:22Z")) {
            assertTrue(Timestamps.parse(value).isEmpty(), value);
        }
    }
}
