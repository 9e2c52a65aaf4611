package dev.git.webhooks.delivery.engine;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.Outcome;

/**
 * What the engine is told, one message at a time on its own thread: work offered, and the results of the I/O it
 * asked for ({@link Effects}) coming back. Nothing else changes its state.
 */
sealed interface Command {

    /**
     * Deliveries claimed by this instance, durable now: send them (or give them back to the queue). {@code transit}:
     * their entry in the shell's {@link FreshInTransit}, closed once a view that counts them is published (0: none).
     */
    record Offer(List<DeliveryJob> jobs, long transit) implements Command {

        Offer(List<DeliveryJob> jobs) {
            this(jobs, 0);
        }
    }

    /** An attempt ended. */
    record Finished(DeliveryJob job, Outcome outcome) implements Command {
    }

    /** A write is committed: {@code applied} are the outcomes whose claim was still ours. */
    record Written(Effects.Write write, List<Outcome> applied, List<DeliveryJob> stranded) implements Command {
    }

    /** A write could not be made now (the database is away or busy): keep it and try again. */
    record WriteFailed(Effects.Write write) implements Command {
    }

    /** A claim from the queue came back with these jobs, for these rooms. */
    record Claimed(Map<String, Integer> rooms, List<DeliveryJob> jobs) implements Command {
    }

    record ClaimFailed(Map<String, Integer> rooms) implements Command {
    }

    /**
     * What the queue holds for these endpoints (absent: nothing, and a closed breaker). {@code endpoints} lists the
     * endpoints asked about (null when whole buckets were asked about).
     */
    record Probed(Collection<String> endpoints, Map<String, Queue> found) implements Command {
    }

    /**
     * An endpoint's queue as the database has it: when its next row is due (null: none) and its breaker as its last
     * owner left it (open until, null: closed).
     */
    record Queue(int bucket, Instant next, Instant breakerOpenUntil, long breakerDelayMillis) {
    }

    record ProbeFailed(Collection<String> endpoints) implements Command {
    }

    /** An endpoint (in a bucket) and when its next queued delivery is due. */
    record Due(String endpointId, int bucket, Instant at) {
    }

    /** Leases renewed; the claims in {@code lost} are someone else's now. */
    record Renewed(Instant convertedBefore, Set<String> lost) implements Command {
    }

    /** The renewal (and its sweep of orphaned fresh claims) failed: the window of its sweep is swept again later. */
    record RenewFailed(Effects.Renewal renewal) implements Command {
    }

    /**
     * The heartbeat sent at {@code sentAt} was written. {@code alive} false: the others had taken this instance for
     * dead, and it lives on under a new identity, with none of its claims or buckets.
     */
    record Beat(Instant sentAt, boolean alive) implements Command {
    }

    /** These buckets are this instance's now. */
    record Gained(Set<Integer> buckets) implements Command {
    }

    /** Each live instance should own at most {@code share} buckets: give back what is beyond. */
    record Share(int share) implements Command {
    }

    /** Buckets given back are free in the database. */
    record Freed(Set<Integer> buckets) implements Command {
    }

    /** Buckets could not be given back now: try again. */
    record FreeFailed(Set<Integer> buckets) implements Command {
    }

    /** Another instance (or a producer here) queued deliveries for these endpoints, due now. */
    record Queued(List<Due> endpoints) implements Command {
    }

    /** An endpoint stopped, was deleted or changed: what is held for it goes back to the queue, re-read. */
    record EndpointChanged(String endpointId) implements Command {
    }

    /**
     * The signals may have been missed (the listening connection broke): look at every owned endpoint, and give back
     * what the lanes hold (a missed signal may have been an endpoint's change).
     */
    record Resync() implements Command {
    }

    /**
     * Events read again after a store whose commit seemed to fail: their fresh deliveries claimed here and not held
     * go back to the queue.
     */
    record ReleaseUnheld(Collection<String> eventIds) implements Command {
    }

    /** Time passed. */
    record Tick() implements Command {
    }

    /** A clean shutdown: take nothing more, give back what waits; attempts in flight finish and are written. */
    record Stop() implements Command {
    }
}
