package dev.git.webhooks.api.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code webhooks.api.*}: requests a minute per key, by plan. */
@ConfigMapping(prefix = "webhooks.api")
public interface ApiConfig {

    RateLimits rateLimits();

    interface RateLimits {
        @WithDefault("60")
        int free();

        @WithDefault("600")
        int pro();

        /** The default, and the most an enterprise key may be given. */
        @WithDefault("5000")
        int enterprise();

        @WithDefault("5000")
        int admin();

        default int of(Plan plan) {
            return switch (plan) {
                case FREE -> free();
                case PRO -> pro();
                case ENTERPRISE -> enterprise();
            };
        }
    }
}
