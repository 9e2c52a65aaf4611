package dev.git.webhooks.ops;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

/**
 * {@code webhooks.retention}: delivered deliveries, their attempts and settled events are purged after this;
 * {@code webhooks.retention.failed}: failed and replayed ones (what a customer may still want to replay) after that.
 */
@ConfigMapping(prefix = "webhooks.retention")
public interface RetentionConfig {

    @WithParentName
    @WithDefault("30d")
    Duration period();

    @WithName("failed")
    @WithDefault("90d")
    Duration failed();
}
