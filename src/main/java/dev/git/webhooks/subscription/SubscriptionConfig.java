package dev.git.webhooks.subscription;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code webhooks.rotation.*}: secret rotation. */
@ConfigMapping(prefix = "webhooks.rotation")
public interface SubscriptionConfig {

    /** How long the old secret keeps signing after a rotation, unless the request says otherwise. */
    @WithDefault("24h")
    Duration gracePeriod();

    /** The longest grace period a rotation request may ask for. */
    @WithDefault("7d")
    Duration maxGracePeriod();
}
