package dev.git.webhooks.ops;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * {@code webhooks.retention}: ended deliveries (delivered, failed, replayed), their attempts and settled events are
 * purged after this.
 */
@ConfigMapping(prefix = "webhooks.retention")
public interface RetentionConfig {

    @WithParentName
    @WithDefault("30d")
    Duration period();
}
