package dev.git.webhooks.ops;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code webhooks.ops.*}: the pace of replays and purges. */
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
}
