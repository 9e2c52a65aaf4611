package dev.git.webhooks.outbox;

import jakarta.enterprise.context.ApplicationScoped;

import dev.git.webhooks.common.SettingsCheck;
import dev.git.webhooks.common.SettingsProblems;

/** The lease keys, checked at startup: all positive, and a heartbeat that comes before a lease or an instance ends. */
@ApplicationScoped
public class OutboxChecks implements SettingsCheck {

    private static final String P = "webhooks.outbox.";

    private final OutboxConfig config;

    public OutboxChecks(OutboxConfig config) {
        this.config = config;
    }

    @Override
    public void check(SettingsProblems problems) {
        problems.general("webhooks.outbox", OutboxConfig.class, config);
        problems.positive(P + "lease", config.lease());
        problems.positive(P + "heartbeat", config.heartbeat());
        problems.positive(P + "instance-timeout", config.instanceTimeout());
        problems.positive(P + "fresh-horizon", config.freshHorizon());
        problems.check(config.heartbeat().compareTo(config.lease()) < 0
                && config.heartbeat().compareTo(config.instanceTimeout()) < 0, P + "heartbeat",
                "must be shorter than " + P + "lease and " + P + "instance-timeout (a live instance renews its claims "
                        + "before they lapse)");
    }
}
