package dev.git.webhooks.ops;

import jakarta.enterprise.context.ApplicationScoped;

import dev.git.webhooks.common.SettingsCheck;
import dev.git.webhooks.common.SettingsProblems;

/** The operations keys, checked at startup: rates, batch sizes and the retention period positive. */
@ApplicationScoped
public class OpsChecks implements SettingsCheck {

    private final OpsConfig ops;
    private final RetentionConfig retention;

    public OpsChecks(OpsConfig ops, RetentionConfig retention) {
        this.ops = ops;
        this.retention = retention;
    }

    @Override
    public void check(SettingsProblems problems) {
        problems.general("webhooks.ops", OpsConfig.class, ops);
        problems.positive("webhooks.ops.replay-rate", ops.replayRate());
        problems.positive("webhooks.ops.purge-batch-size", ops.purgeBatchSize());
        problems.positive("webhooks.ops.purge-max-batches", ops.purgeMaxBatches());
        problems.positive("webhooks.retention", retention.period());
        problems.positive("webhooks.retention.failed", retention.failed());
    }
}
