package dev.git.webhooks.delivery;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import dev.git.webhooks.delivery.http.AttemptResult;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;

/**
 * One endpoint's share of this instance: at most {@code cap} attempts in flight, a queue of claimed deliveries
 * waiting for a slot, room reserved for fresh ones, and a circuit breaker. The lane holds at most {@code limit}
 * deliveries: beyond that they stay due in the outbox for the poller, so a slow or dead endpoint fills only its own
 * lane and never the memory that other endpoints need.
 */
final class EndpointLane {

    private final int cap;
    private final int limit;
    private final ArrayDeque<DeliveryJob> queue = new ArrayDeque<>();
    private int inFlight;
    private int reserved;
    private boolean retired;
    private volatile Instant openUntil = Instant.MIN;
    private volatile long lastUsedNanos = System.nanoTime();
    private TypedGuard<CompletionStage<AttemptResult>> guard;

    EndpointLane(int cap, int limit) {
        this.cap = cap;
        this.limit = limit;
    }

    void guard(TypedGuard<CompletionStage<AttemptResult>> guard) {
        this.guard = guard;
    }

    TypedGuard<CompletionStage<AttemptResult>> guard() {
        return guard;
    }

    /** Queues a job; false when the lane was retired meanwhile (the caller takes a fresh lane). */
    synchronized boolean enqueue(DeliveryJob job) {
        if (retired) {
            return false;
        }
        queue.addLast(job);
        lastUsedNanos = System.nanoTime();
        return true;
    }

    /** Room for one fresh delivery, if the lane is not full. */
    synchronized Boolean tryReserve() {
        if (retired) {
            return null;
        }
        if (inFlight + queue.size() + reserved >= limit) {
            return false;
        }
        reserved++;
        lastUsedNanos = System.nanoTime();
        return true;
    }

    /** A reserved lane holds something, so it cannot have been retired. */
    synchronized void enqueueReserved(DeliveryJob job) {
        reserved--;
        queue.addLast(job);
        lastUsedNanos = System.nanoTime();
    }

    synchronized void cancelReservation() {
        reserved--;
    }

    /** The next job to start now, if a slot is free; the slot is taken. */
    synchronized DeliveryJob take() {
        if (inFlight >= cap || queue.isEmpty()) {
            return null;
        }
        inFlight++;
        return queue.pollFirst();
    }

    synchronized void done() {
        inFlight--;
        lastUsedNanos = System.nanoTime();
    }

    /** Empties the queue (the endpoint stopped, or the breaker opened). */
    synchronized List<DeliveryJob> drain() {
        List<DeliveryJob> jobs = new ArrayList<>(queue);
        queue.clear();
        return jobs;
    }

    /** Held means queued, in flight or reserved; a full lane takes no more claims or fresh deliveries. */
    synchronized int held() {
        return inFlight + queue.size() + reserved;
    }

    boolean full() {
        return held() >= limit;
    }

    int limit() {
        return limit;
    }

    void breakerChanged(CircuitBreakerState state, Instant until) {
        openUntil = state == CircuitBreakerState.OPEN ? until : Instant.MIN;
    }

    boolean open(Instant now) {
        return openUntil.isAfter(now);
    }

    Instant openUntil() {
        return openUntil;
    }

    /** Retires the lane if it held nothing for {@code nanos}; a retired lane takes nothing more. */
    synchronized boolean retireIfIdle(long nanos, Instant now) {
        retired = held() == 0 && System.nanoTime() - lastUsedNanos > nanos && !open(now);
        return retired;
    }
}
