package dev.git.webhooks.local;

import java.nio.file.Path;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code webhooks.local.*}: the embedded Kafka broker and PostgreSQL of dev mode. */
@ConfigMapping(prefix = "webhooks.local")
public interface LocalConfig {

    /** Where the embedded parts keep their data (and the generated keys) between runs. */
    @WithDefault("target/dev-data")
    Path dataDir();

    /** Fixed, so that any Kafka client can publish to the broker. */
    @WithDefault("19092")
    int kafkaPort();

    @WithDefault("54320")
    int postgresPort();

    @WithDefault("4")
    int partitions();
}
