package dev.git.webhooks.delivery.engine;

import java.time.Duration;

import dev.git.webhooks.delivery.DeliveryConfig;
import dev.git.webhooks.outbox.OutboxConfig;

/**
 * The engine's settings, from {@code webhooks.delivery.*} and {@code webhooks.outbox.*} (see their Javadoc).
 *
 * @param recordingFloor the sent and not yet recorded attempts always allowed; beyond, as many as were recorded in the
 *        last second (so a crash resends about a second of deliveries at most), up to {@code recordingCeiling}
 * @param writeLinger how long a few outcomes wait for more before they are written (one transaction for many at
 *        paced rates; the receiver has them already): see {@link #WRITE_LINGER}
 */
record Settings(int cap, int depth, int maxHeld, long maxHeldBytes, int recordingFloor, int recordingCeiling,
        int claimBatch, int writeBatch, Duration writeLinger, Duration heartbeat, Duration instanceTimeout,
        Duration lease, Duration freshHorizon, Duration resyncEvery, Duration retryEvery, int breakerVolume,
        double breakerRatio, Duration breakerDelay, Duration breakerMaxDelay) {

    /**
     * Outcomes wait this long for more before they are written, unless a quarter of a write batch is there, an ordered
     * delivery's next waits for one, or the engine hands back or stops: at 200 deliveries a second, one write for
     * four instead of one for each, and a crash resends at most this much more.
     */
    static final Duration WRITE_LINGER = Duration.ofMillis(20);

    static Settings of(DeliveryConfig delivery, OutboxConfig outbox) {
        DeliveryConfig.Breaker b = delivery.breaker();
        return new Settings(delivery.maxInFlightPerEndpoint(), delivery.laneDepth(), delivery.maxHeld(),
                delivery.maxHeldBytes().asLongValue(), Math.min(500, delivery.recordingBacklog()),
                delivery.recordingBacklog(), delivery.claimBatchSize(), 1000, WRITE_LINGER, outbox.heartbeat(),
                outbox.instanceTimeout(), outbox.lease(), outbox.freshHorizon(), delivery.resyncInterval(),
                Duration.ofSeconds(1), b.requestVolume(), b.failureRatio(), b.delay(), b.maxDelay());
    }

    CircuitBreaker breaker() {
        return new CircuitBreaker(breakerVolume, breakerRatio, breakerDelay, breakerMaxDelay);
    }

    /**
     * How long after a heartbeat was sent this instance may still act as the owner of its buckets: the others take it
     * for dead once its {@code alive_until} (the database's time at that heartbeat plus the instance timeout) has
     * passed, so it stops a heartbeat interval before that, whatever its clock's drift.
     */
    Duration ownership() {
        return instanceTimeout.minus(heartbeat);
    }
}
