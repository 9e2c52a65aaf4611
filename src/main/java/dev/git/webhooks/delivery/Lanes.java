package dev.git.webhooks.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.OutboxStore.ClaimRequest;

/**
 * The lanes of this instance, one per endpoint that had deliveries lately, and what they hold together: at most
 * {@code max-held} deliveries and {@code max-held-bytes} of payload, whatever the endpoints. Lanes idle for
 * {@link #IDLE} are swept (with their breaker state). Plain logic on the injected clock.
 */
final class Lanes {

    static final Duration IDLE = Duration.ofMinutes(10);

    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong heldBytes = new AtomicLong();
    private final PollSignal pollSignal = new PollSignal();
    private final DeliveryConfig config;
    private final Clock clock;

    Lanes(DeliveryConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /**
     * Takes {@code job} into its endpoint's lane if this instance and the lane have room; answers the lane, or
     * null when the caller must give the job back to the queue.
     */
    Lane offer(DeliveryJob job) {
        if (!hasRoom()) {
            return null;
        }
        Instant now = clock.instant();
        while (true) {
            Lane lane = lane(job.endpointId());
            Boolean taken = lane.offer(job, now);
            if (taken == null) {
                continue; // retired by the sweep just now
            }
            if (!taken) {
                return null;
            }
            held.incrementAndGet();
            heldBytes.addAndGet(job.payload().length);
            return lane;
        }
    }

    /** A job that left its lane (attempted, released or forgotten). */
    void released(DeliveryJob job) {
        held.decrementAndGet();
        heldBytes.addAndGet(-job.payload().length);
    }

    void released(Collection<DeliveryJob> jobs) {
        jobs.forEach(this::released);
    }

    boolean hasRoom() {
        return held.get() < config.maxHeld() && heldBytes.get() < config.maxHeldBytes().asLongValue();
    }

    /** Whether a fast endpoint's lane is more than half full (see {@link Lane#congested}). */
    boolean congested() {
        Instant now = clock.instant();
        for (Lane lane : lanes.values()) {
            if (lane.congested(now)) {
                return true;
            }
        }
        return false;
    }

    int held() {
        return held.get();
    }

    long heldBytes() {
        return heldBytes.get();
    }

    Lane lane(String endpointId) {
        return lanes.computeIfAbsent(endpointId, id -> new Lane(id, config.maxInFlightPerEndpoint(),
                config.laneDepth(), breaker(), clock.instant()));
    }

    Collection<Lane> all() {
        return lanes.values();
    }

    Lane existing(String endpointId) {
        return lanes.get(endpointId);
    }

    /**
     * Endpoints whose fresh deliveries should go to the queue rather than to this instance, and when they can be
     * sent: an open breaker (when it may let a trial through) or a full lane (now: claimed when it has room).
     */
    Map<String, Instant> holds() {
        Instant now = clock.instant();
        Map<String, Instant> holds = new HashMap<>();
        for (Lane lane : lanes.values()) {
            Instant open = lane.breaker().openUntil();
            if (open.isAfter(now)) {
                holds.put(lane.endpointId(), open);
            } else if (lane.room(now) == 0) {
                holds.put(lane.endpointId(), now); // due at once: claimed as soon as the lane has room
                lane.backlogged();
            }
        }
        return holds;
    }

    /**
     * What the next claim from the queue may take: room per lane that has less than a fresh lane, and nothing while
     * this instance holds as many deliveries or payload bytes as it may.
     */
    ClaimRequest claimRequest(int batch) {
        Instant now = clock.instant();
        Map<String, Integer> rooms = new HashMap<>();
        List<String> excluded = new ArrayList<>();
        int fresh = config.laneDepth() + config.maxInFlightPerEndpoint();
        for (Lane lane : lanes.values()) {
            int room = lane.room(now);
            if (room == 0) {
                excluded.add(lane.endpointId());
            } else if (room < fresh) {
                rooms.put(lane.endpointId(), room);
            }
        }
        // nothing while the payload bytes are at their limit: whatever was claimed would be released at once
        int limit = hasRoom() ? Math.min(batch, config.maxHeld() - held.get()) : 0;
        return new ClaimRequest(now, limit, rooms, fresh, excluded);
    }

    /** Deliveries of these endpoints went to the queue while their lanes were full (see {@link Lane#backlogged}). */
    void backlogged(Collection<String> endpointIds) {
        for (String id : endpointIds) {
            Lane lane = lanes.get(id);
            if (lane != null) {
                lane.backlogged();
            }
        }
    }

    /**
     * When a job that the lanes did not take is due again: when its endpoint's breaker may let a trial through, else
     * now (its lane was full: it is claimed again as soon as the lane has room).
     */
    Instant dueAgain(String endpointId) {
        Instant now = clock.instant();
        Lane lane = lanes.get(endpointId);
        Instant open = lane == null ? Instant.MIN : lane.breaker().openUntil();
        if (open.isAfter(now)) {
            return open;
        }
        if (lane != null) {
            lane.backlogged();
        }
        return now;
    }

    PollSignal pollSignal() {
        return pollSignal;
    }

    /** Wakes the poller if {@code lane} wants a claim; called as its attempts finish. */
    void signalIfWanted(Lane lane) {
        if (lane.wantsClaim(clock.instant())) {
            pollSignal.signal();
        }
    }

    /** Forgets lanes idle for a while. */
    void sweep() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(IDLE);
        lanes.values().removeIf(lane -> lane.retireIfIdle(cutoff, now));
    }

    private CircuitBreaker breaker() {
        DeliveryConfig.Breaker b = config.breaker();
        return new CircuitBreaker(b.requestVolume(), b.failureRatio(), b.delay(), b.maxDelay());
    }
}
