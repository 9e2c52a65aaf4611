package dev.git.webhooks.ops;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code webhooks.ops.*}: the pace of replays and purges, endpoint health, the dead-letter index, ownership checks. */
@ConfigMapping(prefix = "webhooks.ops")
public interface OpsConfig {

    /** Replayed deliveries created a second, over all replays: live traffic keeps the rest of the capacity. */
    @WithDefault("100")
    int replayRate();

    /** Rows deleted per purge statement. */
    @WithDefault("1000")
    int purgeBatchSize();

    /** Most batches per purge run, so that one run never holds the database for long. */
    @WithDefault("100")
    int purgeMaxBatches();

    /** Newest deliveries of an endpoint read for its health (last hour's attempts, success ratio, p95). */
    @WithDefault("2000")
    int healthSample();

    /**
     * Pending deliveries of an endpoint that were tried already, read for its health besides the newest ones: behind
     * an open circuit breaker the newest wait untried while older ones are retried.
     */
    @WithDefault("1000")
    int healthPendingSample();

    /** Newest deliveries of an endpoint read for its page's chart of the last 24 hours. */
    @WithDefault("10000")
    int chartSample();

    DeadLetters deadLetters();

    Ownership ownership();

    /** {@code webhooks.ops.ownership.*}: the challenge that proves an endpoint's owner controls its URL. */
    interface Ownership {

        /** The longest wait for the endpoint's answer to the challenge; a later answer fails the check. */
        @WithDefault("5s")
        Duration timeout();

        /** How often each instance looks for pending checks. */
        @WithDefault("1s")
        Duration interval();

        /**
         * A failed check is tried again by itself: first this long after it failed, then after as long as it has been
         * failing (so the waits about double), at most {@code retry-max}, for {@code retry-for} after it went
         * pending; then it waits for the owner to ask again.
         */
        @WithDefault("1m")
        Duration retryAfter();

        @WithDefault("6h")
        Duration retryMax();

        @WithDefault("3d")
        Duration retryFor();
    }

    /** {@code webhooks.ops.dead-letters.*}: the consumer that indexes the dead-letter topic into the database. */
    interface DeadLetters {

        /** Switch the indexer off (an instance that only delivers); redrive and discard still work. */
        @WithDefault("true")
        boolean indexEnabled();

        @WithDefault("webhooks-dlq-index")
        String groupId();

        /** Bytes of a dead letter's value shown as its preview. */
        @WithDefault("1024")
        int previewBytes();
    }
}
