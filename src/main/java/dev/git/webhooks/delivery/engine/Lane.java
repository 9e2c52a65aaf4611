package dev.git.webhooks.delivery.engine;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    /** Of those held, how many are fresh (handed over by ingest here, not claimed from the queue). */
    private int fresh;
    /** When the endpoint's next row in the queue is due, as far as this instance knows (null: none). */
    Instant nextDue;
    /** A claim for this lane is in flight. */
    boolean claiming;
    /** Its breaker's openings already written. */
    long openingsWritten;
    /** The database has its breaker open (written here, or left so by its last owner). */
    boolean writtenOpen;
    Instant lastUsed;
    /** When an attempt of this lane last ended (null: none yet). */
    private Instant lastFinished;
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

    void add(DeliveryJob job, Instant now) {
        waiting.addLast(job);
        fresh += job.leased() ? 0 : 1;
        lastUsed = now;
    }

    /** The next delivery to attempt, if a slot is free and the breaker allows one now; it takes the slot. */
    DeliveryJob start(Instant now) {
        if (running.size() >= cap || waiting.isEmpty() || (rate > 0 && nextSlot != null && nextSlot.isAfter(now))
                || !breaker.allow(now)) {
            return null;
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
        DeliveryJob job = waiting.pollFirst();
        running.put(job.deliveryId(), job);
        lastUsed = now;
        return job;
    }

    /** Whether a slot is free (then only the breaker or the recording budget can hold the next attempt back). */
    boolean slotFree() {
        return running.size() < cap;
    }

    /** The attempt of {@code job} ended; answers false if it was not running here. */
    boolean finished(DeliveryJob job, boolean success, Instant now) {
        if (running.remove(job.deliveryId()) == null) {
            return false;
        }
        fresh -= job.leased() ? 0 : 1;
        lastUsed = now;
        lastFinished = now;
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
        return jobs;
    }

    /** Drops waiting deliveries whose claims were lost; answers those dropped. */
    List<DeliveryJob> forget(java.util.Set<String> deliveryIds) {
        List<DeliveryJob> dropped = new ArrayList<>();
        waiting.removeIf(job -> deliveryIds.contains(job.deliveryId()) && dropped.add(job));
        dropped.forEach(job -> fresh -= job.leased() ? 0 : 1);
        return dropped;
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
