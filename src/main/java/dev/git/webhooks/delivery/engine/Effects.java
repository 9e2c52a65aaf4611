package dev.git.webhooks.delivery.engine;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.OutboxStore.Release;
import dev.git.webhooks.outbox.Outcome;

/**
 * The I/O the engine asks for. Each call returns at once; its result comes back later as a {@link Command} (named
 * on each method). The engine never waits for one, and none of them calls back into it.
 */
interface Effects {

    /** Makes one attempt (→ {@link Command.Finished}). */
    void attempt(DeliveryJob job);

    /**
     * Writes outcomes, hand-backs and breaker changes in one transaction (→ {@link Command.Written} or
     * {@link Command.WriteFailed}). Only one write is in flight at a time.
     */
    void write(Write write);

    /**
     * Claims due rows of these endpoints, at most their room each (→ {@link Command.Claimed}). At most two claims
     * are in flight, each on its own connection: any, and one of lanes that hold nothing ({@code idle}).
     */
    void claim(Map<String, Integer> rooms, Instant now, boolean idle);

    /**
     * Asks when the next queued row of each of these endpoints is due, or, with {@code endpoints} null, of every
     * endpoint in {@code buckets} (→ {@link Command.Probed}).
     */
    void probe(Collection<String> endpoints, Set<Integer> buckets);

    /** Renews leases (→ {@link Command.Renewed}); see {@link Renewal}. */
    void renew(Renewal renewal);

    /** Gives these buckets back (→ {@link Command.Freed}): nothing of them is held here any more. */
    void free(Set<Integer> buckets);

    /** Gives back to the queue the fresh deliveries of these events claimed here and not in {@code held}. */
    void releaseUnheld(Collection<String> eventIds, Set<String> held);

    /** What readers outside the engine may see of it now (ingest's routing, back-pressure, gauges). */
    void publish(View view);

    /**
     * One write: attempt outcomes, claimed deliveries handed back unsent, breaker changes of endpoints, and the
     * endpoints whose owners (other instances) must hear that deliveries were queued for them.
     */
    record Write(List<Outcome> outcomes, List<Release> releases, List<Breaker> breakers, Set<String> owners) {
        boolean isEmpty() {
            return outcomes.isEmpty() && releases.isEmpty() && breakers.isEmpty();
        }
    }

    /** An endpoint's breaker as it is now: open until a time (null: closed), with the wait it would double. */
    record Breaker(String endpointId, Instant openUntil, long delayMillis) {
    }

    /**
     * Renews until {@code leaseUntil} the leases of {@code jobs} (fresh ones among them get their first), and gives
     * back to the queue this instance's fresh claims created in {@code [orphansFrom, orphansTo)} that it does not
     * hold ({@code held}): a store or hand-off that seemed to fail may have left some (null bounds: none).
     */
    record Renewal(List<DeliveryJob> jobs, Instant leaseUntil, Instant convertBefore, Instant orphansFrom,
            Instant orphansTo, Set<String> held) {
    }
}
