package dev.git.webhooks.delivery;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.git.webhooks.outbox.DeliveryJob;

/**
 * One endpoint's share of this instance: at most {@code cap} attempts in flight, a queue of at most {@code depth}
 * claimed deliveries waiting for a slot, and the endpoint's circuit breaker. Beyond its depth an endpoint's
 * deliveries wait in the outbox's queue, so a slow or dead endpoint fills only its own lane.
 */
final class Lane {

    private final String endpointId;
    private final int cap;
    private final int depth;
    private final CircuitBreaker breaker;
    private final ArrayDeque<DeliveryJob> queue = new ArrayDeque<>();
    private final Set<DeliveryJob> running = new LinkedHashSet<>();
    private Instant lastUsed;
    private long openingsSeen;
    private boolean retired;
    private boolean backlog;
    private long windowSecond;
    private int successesThisSecond;
    private int successesLastSecond;
    /** Successes a second from which an endpoint counts as fast (see {@link #congested}). */
    static final int FAST = 50;

    Lane(String endpointId, int cap, int depth, CircuitBreaker breaker, Instant now) {
        this.endpointId = endpointId;
        this.cap = cap;
        this.depth = depth;
        this.breaker = breaker;
        this.lastUsed = now;
    }

    String endpointId() {
        return endpointId;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * Queues a job if the lane has room and its breaker is not open; false: the caller releases it; null: the lane
     * was retired (idle sweep) and takes nothing more.
     */
    synchronized Boolean offer(DeliveryJob job, Instant now) {
        if (retired) {
            return null; // swept meanwhile: the caller takes a fresh lane
        }
        if (held() >= depth + cap || breaker.openUntil().isAfter(now)) {
            return false;
        }
        queue.addLast(job);
        lastUsed = now;
        return true;
    }

    /** The next job to start now, if a slot is free and the breaker allows it; the slot is taken. */
    synchronized DeliveryJob start(Instant now) {
        if (running.size() >= cap || queue.isEmpty() || !breaker.allow(now)) {
            return null;
        }
        DeliveryJob job = queue.pollFirst();
        running.add(job);
        lastUsed = now;
        return job;
    }

    /** The attempt of {@code job} ended (or was not made); its slot is free. */
    synchronized void finished(DeliveryJob job, Instant now) {
        finished(job, now, false);
    }

    synchronized void finished(DeliveryJob job, Instant now, boolean success) {
        running.remove(job);
        lastUsed = now;
        long second = now.getEpochSecond();
        if (second != windowSecond) {
            successesLastSecond = second == windowSecond + 1 ? successesThisSecond : 0;
            successesThisSecond = 0;
            windowSecond = second;
        }
        if (success) {
            successesThisSecond++;
        }
    }

    /**
     * Full past half its room while its endpoint answers fast: the instance takes events faster than this endpoint
     * takes deliveries, and it is worth letting ingest wait a moment (the events wait in Kafka) rather than sending
     * the surplus through the queue, which costs two more writes each. A slow or failing endpoint never congests.
     */
    synchronized boolean congested(Instant now) {
        long second = now.getEpochSecond();
        int recent = second == windowSecond ? Math.max(successesThisSecond, successesLastSecond)
                : second == windowSecond + 1 ? successesThisSecond : 0;
        return held() > (depth + cap) / 2 && recent >= FAST && breaker.state(now) == CircuitBreaker.State.CLOSED;
    }

    /** Takes every queued job out (the breaker opened, the endpoint stopped, the instance stops). */
    synchronized List<DeliveryJob> drain() {
        List<DeliveryJob> jobs = new ArrayList<>(queue);
        queue.clear();
        return jobs;
    }

    /** Drops queued jobs whose claims were lost; answers those dropped. */
    synchronized List<DeliveryJob> forget(Collection<String> deliveryIds) {
        List<DeliveryJob> dropped = new ArrayList<>();
        queue.removeIf(job -> deliveryIds.contains(job.deliveryId()) && dropped.add(job));
        return dropped;
    }

    /** Every job held (queued and running), for the lease renewal. */
    synchronized List<DeliveryJob> jobs() {
        List<DeliveryJob> jobs = new ArrayList<>(queue);
        jobs.addAll(running);
        return jobs;
    }

    synchronized int held() {
        return queue.size() + running.size();
    }

    /** How many more claimed deliveries it takes now (0 while the breaker is open). */
    synchronized int room(Instant now) {
        if (breaker.state(now) == CircuitBreaker.State.OPEN) {
            return 0;
        }
        if (breaker.state(now) == CircuitBreaker.State.HALF_OPEN) {
            return queue.isEmpty() && running.isEmpty() ? 1 : 0;
        }
        return Math.max(0, depth + cap - held());
    }

    /** Some of its deliveries went to the queue because the lane was full: claim them as soon as it has room. */
    synchronized void backlogged() {
        backlog = true;
    }

    /** A claim took fewer of its deliveries than it had room for: nothing of it waits in the queue any more. */
    synchronized void caughtUp() {
        backlog = false;
    }

    /** Deliveries of it wait in the queue and it has room for half a lane of them: worth a claim now. */
    synchronized boolean wantsClaim(Instant now) {
        return backlog && room(now) >= Math.max(1, (depth + cap) / 2);
    }

    /** Retires the lane if it held nothing since {@code cutoff} (its breaker state goes with it). */
    synchronized boolean retireIfIdle(Instant cutoff, Instant now) {
        retired = held() == 0 && lastUsed.isBefore(cutoff) && breaker.state(now) == CircuitBreaker.State.CLOSED;
        return retired;
    }

    /** True once per opening of the breaker: time to put the endpoint's queued deliveries aside. */
    synchronized boolean newlyOpened() {
        long openings = breaker.openings();
        boolean changed = openings != openingsSeen;
        openingsSeen = openings;
        return changed && breaker.openUntil() != Instant.MIN;
    }
}
