package dev.git.webhooks.delivery.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The reaper's bound over deliveries on their way into the engine: the oldest open entry, until it is closed. */
class FreshInTransitTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void theOldestOpenEntryBoundsTheHeartbeatUntilItIsClosed() {
        FreshInTransit transit = new FreshInTransit();
        assertEquals(NOW, transit.oldest(NOW), "none on their way");
        long first = transit.open(NOW.minusMillis(800));
        long second = transit.open(NOW.minusMillis(200));
        assertEquals(NOW.minusMillis(800), transit.oldest(NOW));
        assertEquals(NOW.minusSeconds(5), transit.oldest(NOW.minusSeconds(5)), "an older bound stays");
        transit.close(first);
        assertEquals(NOW.minusMillis(200), transit.oldest(NOW));
        transit.close(second);
        transit.close(0); // an offer without an entry
        assertEquals(NOW, transit.oldest(NOW));
        assertEquals(0, transit.size());
    }
}
