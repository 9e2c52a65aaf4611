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
 * waiting for a slot, and a circuit breaker. A slow or dead endpoint fills only its own lane.
 */
final class EndpointLane {

    private final int cap;
    private final ArrayDeque<DeliveryJob> queue = new ArrayDeque<>();
    private int inFlight;
    private volatile Instant openUntil = Instant.MIN;
    private volatile long lastUsedNanos = System.nanoTime();
    private TypedGuard<CompletionStage<AttemptResult>> guard;

    EndpointLane(int cap) {
        this.cap = cap;
    }

    void guard(TypedGuard<CompletionStage<AttemptResult>> guard) {
        this.guard = guard;
    }

    TypedGuard<CompletionStage<AttemptResult>> guard() {
        return guard;
    }

    synchronized void enqueue(DeliveryJob job) {
        queue.addLast(job);
        lastUsedNanos = System.nanoTime();
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

    /** Held means queued or in flight; a full lane takes no more claims. */
    synchronized int held() {
        return inFlight + queue.size();
    }

    boolean full() {
        return held() >= cap;
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

    boolean idleFor(long nanos) {
        return held() == 0 && System.nanoTime() - lastUsedNanos > nanos;
    }
}
