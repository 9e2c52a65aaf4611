package dev.git.webhooks.delivery.engine;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.git.webhooks.outbox.DeliveryJob;

/**
 * One endpoint as its owner sees it: deliveries waiting for a slot, attempts in flight (at most {@code cap}), the
 * circuit breaker, and what it knows of the endpoint's rows in the outbox's queue ({@link #nextDue}). Beyond
 * {@code depth} waiting deliveries, an endpoint's deliveries wait in the queue, so a slow or dead endpoint fills only
 * its own lane. Plain state of the engine's one thread.
 */
final class Lane {

    /** Successes a second from which an endpoint counts as fast (see {@link #congested}). */
    static final int FAST = 50;

    final String endpointId;
    final int bucket;
    final CircuitBreaker breaker;
    /** The operator's default cap, for endpoints that set none. */
    private final int defaultCap;
    private int cap;
    /** Deliveries a second at most (0: no limit), and when the next attempt may start under it. */
    private int rate;
    private Instant nextSlot;
    /** Its deliveries go one at a time per key (their order is kept in the queue; see OutboxStore). */
    private boolean ordered;
    private final int depth;
    private final ArrayDeque<DeliveryJob> waiting = new ArrayDeque<>();
    private final Map<String, DeliveryJob> running = new HashMap<>();
    /**
     * Ordered deliveries (those with a {@link DeliveryJob.Order}): per key, the {@code seq} of the last one held
     * (waiting or running), and the keys with one running. A key's deliveries wait in their order and start one at a
     * time, each once the one before it has ended.
     */
    private final Map<String, Long> tails = new HashMap<>();
    private final Set<String> keysRunning = new HashSet<>();
    /** Of those held, how many are fresh (handed over by ingest here, not claimed from the queue). */
    private int fresh;
    /** When the endpoint's next row in the queue is due, as far as this instance knows (null: none). */
    Instant nextDue;
    /** A claim for this lane is in flight. */
    boolean claiming;
    /** The endpoint changed while a claim for it was in flight: what that claim brings was read as it was before. */
    boolean stale;
    /** Its breaker's openings already written. */
    long openingsWritten;
    /** The database has its breaker open (written here, or left so by its last owner). */
    boolean writtenOpen;
    Instant lastUsed;
    /** When an attempt of this lane last ended (null: none yet). */
    private Instant lastFinished;
    /**
     * An attempt of this lane has ended. Until then, a rate-limited lane sends one attempt at a time: the first
     * attempts to an endpoint open its connections, and those started on the rate's grid while the first connection
     * was being made would otherwise reach the endpoint together, a burst of up to the cap (8 requests within 2 ms,
     * then the grid, measured by the suite's rate-limit test).
     */
    private boolean answered;
    private long windowSecond;
    private int successesThisSecond;
    private int successesLastSecond;

    Lane(String endpointId, int bucket, int cap, int depth, CircuitBreaker breaker, Instant now) {
        this.endpointId = endpointId;
        this.bucket = bucket;
        this.defaultCap = cap;
        this.cap = cap;
        this.depth = depth;
        this.breaker = breaker;
        this.lastUsed = now;
    }

    int held() {
        return waiting.size() + running.size();
    }

    int running() {
        return running.size();
    }

    int waiting() {
        return waiting.size();
    }

    boolean hasWaiting() {
        return !waiting.isEmpty();
    }

    /** Room for more deliveries held here; none while the breaker is open, one trial when it is half-open. */
    int room(Instant now) {
        CircuitBreaker.State state = breaker.state(now);
        if (state == CircuitBreaker.State.OPEN) {
            return 0;
        }
        if (state == CircuitBreaker.State.HALF_OPEN) {
            return held() == 0 ? 1 : 0;
        }
        return Math.max(0, capacity(now) - held());
    }

    boolean full(Instant now) {
        return held() >= capacity(now);
    }

    /**
     * How many deliveries the lane holds at most: its depth and cap, unless its endpoint has stopped answering (every
     * slot busy and nothing finished for a second), when a few slots' worth: a hanging endpoint's lane then holds
     * back what it cannot send from the queue, where it costs nothing, instead of filling with a thousand deliveries
     * that all go back to the queue in one write when its breaker opens.
     */
    int capacity(Instant now) {
        boolean stalled = running.size() >= cap && (lastFinished == null || lastFinished.isBefore(now.minusSeconds(1)));
        return stalled ? stalledCapacity() : depth + cap;
    }

    /** What a lane whose endpoint stopped answering holds at most: the least it ever holds. */
    int stalledCapacity() {
        return Math.min(depth + cap, claimWindow());
    }

    /**
     * How many deliveries the lane holds at most from the queue: enough to keep its slots busy between two claims, far
     * fewer than its depth (which takes the fresh deliveries of a burst). A backlog is claimed a little at a time, so
     * claims stay short (another endpoint's claim never waits long behind one) and so do lease renewals.
     */
    int claimWindow() {
        return Math.max(64, 4 * cap);
    }

    /**
     * The endpoint's own controls, as the newest delivery taken read them (SPEC §12): its cap of attempts in flight
     * ({@code 0}: the default) and its rate limit ({@code 0}: none). The owner sends every attempt to the endpoint,
     * so both hold cluster-wide.
     */
    void limits(int maxConcurrency, int rateLimit, boolean ordered) {
        this.ordered = ordered;
        cap = maxConcurrency > 0 ? maxConcurrency : defaultCap;
        if (rateLimit != rate) {
            rate = rateLimit;
            nextSlot = null;
        }
    }

    boolean ordered() {
        return ordered;
    }

    /** Whether it sends at most a number of deliveries a second. */
    boolean rateLimited() {
        return rate > 0;
    }

    /**
     * When the rate limit lets the next attempt start, if it holds one back now (null otherwise): attempts start
     * evenly spaced, {@code 1/rate} apart, so that a backlog drains at the rate and never in a burst.
     */
    Instant rateHeldUntil(Instant now) {
        return rate > 0 && nextSlot != null && nextSlot.isAfter(now) && !waiting.isEmpty() && slotFree() ? nextSlot
                : null;
    }

    /**
     * Whether {@code job} may be held here as the next of its key: it is the key's first pending delivery and none of
     * the key is held, or the one before it is the last of its key held. Otherwise (a row of the run was skipped, or
     * not taken here) it must go back to the queue, where it waits for those before it.
     */
    boolean inOrder(DeliveryJob job) {
        DeliveryJob.Order order = job.order();
        if (order == null) {
            return true;
        }
        Long tail = tails.get(order.key());
        return tail == null ? order.first() : order.after() == tail;
    }

    /** Whether a delivery of this ordering key is held here. */
    boolean holdsKey(String key) {
        return tails.containsKey(key);
    }

    void add(DeliveryJob job, Instant now) {
        if (job.order() != null) {
            tails.put(job.order().key(), job.order().seq());
        }
        waiting.addLast(job);
        fresh += job.leased() ? 0 : 1;
        lastUsed = now;
    }

    /** The next delivery to attempt, if a slot is free and the breaker allows one now; it takes the slot. */
    DeliveryJob start(Instant now) {
        if (!slotFree() || (rate > 0 && nextSlot != null && nextSlot.isAfter(now))) {
            return null;
        }
        DeliveryJob job = startable();
        if (job == null || !breaker.allow(now)) {
            return null; // none waiting, or each waiting delivery's key has one running
        }
        if (rate > 0) {
            // the slots stay on one grid, so that an attempt started a little late (the engine's timer, a claim)
            // does not slow the whole backlog below the rate; a lane later than a whole slot (idle, or stalled)
            // starts a new grid now. Each start takes a slot of the grid at or after it: at most one attempt over
            // the rate in any second
            long interval = 1_000_000_000L / rate;
            Instant from = nextSlot == null || nextSlot.isBefore(now.minusNanos(interval)) ? now : nextSlot;
            nextSlot = from.plusNanos(interval);
        }
        if (running.isEmpty()) {
            lastFinished = now; // a first attempt after a pause is not "nothing finished for a second"
        }
        if (job == waiting.peekFirst()) {
            waiting.pollFirst();
        } else {
            waiting.removeFirstOccurrence(job);
        }
        if (job.order() != null) {
            keysRunning.add(job.order().key());
        }
        running.put(job.deliveryId(), job);
        lastUsed = now;
        return job;
    }

    /** The first waiting delivery whose key has none running (null: none). */
    private DeliveryJob startable() {
        if (keysRunning.isEmpty()) {
            return waiting.peekFirst();
        }
        for (DeliveryJob job : waiting) {
            if (job.order() == null || !keysRunning.contains(job.order().key())) {
                return job;
            }
        }
        return null;
    }

    /** Whether a slot is free (then only the breaker or the recording budget can hold the next attempt back). */
    boolean slotFree() {
        return running.size() < (rate > 0 && !answered ? 1 : cap);
    }

    /** The attempt of {@code job} ended; answers false if it was not running here. */
    boolean finished(DeliveryJob job, boolean success, Instant now) {
        if (running.remove(job.deliveryId()) == null) {
            return false;
        }
        if (job.order() != null) {
            keysRunning.remove(job.order().key());
            tails.remove(job.order().key(), job.order().seq()); // the last of its key held here
        }
        fresh -= job.leased() ? 0 : 1;
        lastUsed = now;
        lastFinished = now;
        answered = true;
        long second = now.getEpochSecond();
        if (second != windowSecond) {
            successesLastSecond = second == windowSecond + 1 ? successesThisSecond : 0;
            successesThisSecond = 0;
            windowSecond = second;
        }
        if (success) {
            successesThisSecond++;
        }
        breaker.record(success, now);
        return true;
    }

    /**
     * Full past half its room with fresh deliveries while its endpoint answers fast: events arrive faster than this
     * endpoint takes them, and it is worth letting ingest wait a moment (the events wait in Kafka) rather than
     * sending the surplus through the queue, which costs two more writes each. A slow or failing endpoint never
     * congests, nor does a lane filled from the queue (a backlog): holding ingest back for it would delay every
     * other endpoint's fresh deliveries.
     */
    boolean congested(Instant now) {
        long second = now.getEpochSecond();
        int recent = second == windowSecond ? Math.max(successesThisSecond, successesLastSecond)
                : second == windowSecond + 1 ? successesThisSecond : 0;
        return fresh > (depth + cap) / 2 && recent >= FAST && rate == 0
                && breaker.state(now) == CircuitBreaker.State.CLOSED;
    }

    /** Takes every waiting delivery out (the breaker opened, the endpoint changed, the bucket or instance leaves). */
    List<DeliveryJob> drain() {
        List<DeliveryJob> jobs = new ArrayList<>(waiting);
        waiting.clear();
        jobs.forEach(job -> fresh -= job.leased() ? 0 : 1);
        tails.clear(); // what is left of each key: the one running, if any
        running.values().stream().filter(job -> job.order() != null)
                .forEach(job -> tails.put(job.order().key(), job.order().seq()));
        return jobs;
    }

    /**
     * Takes out the waiting deliveries of {@code key}, whose delivery before them ended without being delivered and
     * will be tried again: they go back to the queue behind it.
     */
    List<DeliveryJob> behind(String key) {
        List<DeliveryJob> jobs = new ArrayList<>();
        waiting.removeIf(job -> job.order() != null && job.order().key().equals(key) && jobs.add(job));
        jobs.forEach(job -> fresh -= job.leased() ? 0 : 1);
        tails.remove(key); // none of it runs: the one before them has ended
        return jobs;
    }

    /** Drops waiting deliveries whose claims were lost; answers those dropped. */
    List<DeliveryJob> forget(Set<String> deliveryIds) {
        List<DeliveryJob> dropped = new ArrayList<>();
        waiting.removeIf(job -> deliveryIds.contains(job.deliveryId()) && dropped.add(job));
        dropped.forEach(job -> fresh -= job.leased() ? 0 : 1);
        return dropped;
    }

    /**
     * Takes out the waiting deliveries that come after one of {@code dropped} in its key (its claim was lost, so they
     * would overtake it); they go back to the queue.
     */
    List<DeliveryJob> behindDropped(List<DeliveryJob> dropped) {
        List<DeliveryJob> behind = new ArrayList<>();
        for (DeliveryJob lost : dropped) {
            if (lost.order() == null) {
                continue;
            }
            String key = lost.order().key();
            waiting.removeIf(job -> job.order() != null && job.order().key().equals(key)
                    && job.order().seq() > lost.order().seq() && behind.add(job));
            tails.remove(key);
            running.values().stream().filter(job -> job.order() != null && job.order().key().equals(key))
                    .forEach(job -> tails.put(key, job.order().seq()));
            waiting.stream().filter(job -> job.order() != null && job.order().key().equals(key))
                    .forEach(job -> tails.put(key, job.order().seq()));
        }
        behind.forEach(job -> fresh -= job.leased() ? 0 : 1);
        return behind;
    }

    /** The claim under which this delivery is held here, waiting or running; null when it is not. */
    String claimOf(String deliveryId) {
        DeliveryJob job = running.get(deliveryId);
        if (job == null) {
            job = waiting.stream().filter(j -> j.deliveryId().equals(deliveryId)).findFirst().orElse(null);
        }
        return job == null ? null : job.claim();
    }

    /** Every delivery held, waiting and in flight. */
    void forEachHeld(java.util.function.Consumer<DeliveryJob> action) {
        waiting.forEach(action);
        running.values().forEach(action);
    }

    /** Nothing held, nothing known queued, breaker closed, unused since {@code cutoff}: the lane can go. */
    boolean idleSince(Instant cutoff, Instant now) {
        return held() == 0 && nextDue == null && !claiming && lastUsed.isBefore(cutoff)
                && breaker.state(now) == CircuitBreaker.State.CLOSED;
    }
}
