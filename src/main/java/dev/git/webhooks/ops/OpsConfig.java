package dev.git.webhooks.ops;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code webhooks.ops.*}: the pace of replays and purges, endpoint health, the dead-letter index. */
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

    DeadLetters deadLetters();

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
