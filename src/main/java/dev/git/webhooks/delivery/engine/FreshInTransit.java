package dev.git.webhooks.delivery.engine;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fresh deliveries on their way into the engine: inserted claimed by this instance, in a transaction that has not
 * committed yet, or committed and offered but not yet in a published view. The engine's view cannot count them, so the
 * heartbeat's reaper bound ({@code instance.oldest_fresh}) takes the oldest of these too: were the instance to die in
 * that moment, the reaper must still look back far enough to find them. Thread-safe: opened and closed by the
 * threads that insert, read by the heartbeat, closed by the engine's thread after it published.
 */
final class FreshInTransit {

    private final ConcurrentHashMap<Long, Instant> open = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /** Deliveries created at {@code createdAt} are on their way; answers the entry to close once they have arrived. */
    long open(Instant createdAt) {
        long id = ids.incrementAndGet();
        open.put(id, createdAt);
        return id;
    }

    void close(long id) {
        open.remove(id);
    }

    /** The creation time of the oldest delivery on its way, or {@code otherwise} when none is (or it is older). */
    Instant oldest(Instant otherwise) {
        Instant oldest = otherwise;
        for (Instant at : open.values()) {
            if (at.isBefore(oldest)) {
                oldest = at;
            }
        }
        return oldest;
    }

    int size() {
        return open.size();
    }
}
