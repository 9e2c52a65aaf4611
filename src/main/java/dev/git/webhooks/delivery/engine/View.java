package dev.git.webhooks.delivery.engine;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What the engine publishes after each change, immutable, for readers on other threads: which endpoints it takes
 * fresh deliveries for (those of its buckets, while its lease holds, unless held back: an open breaker until it may
 * close, a full lane), whether ingest should wait before reading more (back-pressure), and its figures;
 * {@code rateHeld}: the deliveries each rate-limited endpoint's lane holds, waiting for its rate; {@code unrecorded}: the
 * attempts' results not written yet (without the attempts in flight, which the engine's own limit counts too: the
 * gauge says whether the database keeps up).
 */
public record View(Set<Integer> buckets, boolean sending, Map<String, Instant> holds, boolean room, int held,
        long heldBytes, int unrecorded, int lanes, Instant oldestFresh, Map<String, Integer> rateHeld) {

    static final View NONE = new View(Set.of(), false, Map.of(), false, 0, 0, 0, 0, null, Map.of());

    /** Whether a delivery to this endpoint may be inserted claimed by this instance and sent from here. */
    public boolean takes(String endpointId, int bucket) {
        return sending && buckets.contains(bucket) && !holds.containsKey(endpointId);
    }

    /** When a delivery to this endpoint that this instance does not take should be due in the queue. */
    public Instant dueAt(String endpointId, Instant now) {
        Instant held = holds.get(endpointId);
        return held != null && held.isAfter(now) ? held : now;
    }
}
