package dev.git.webhooks.ingest;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code webhooks.ingest.*}: what the Kafka consumer reads and where bad records go. */
@ConfigMapping(prefix = "webhooks.ingest")
public interface IngestConfig {

    /** One topic per event type. A topic agrees with an event when it is the type or ends with "." + type. */
    @WithDefault("repo.push,deploy.success,deploy.failed,pr.merged")
    List<String> topics();

    @WithDefault("webhooks.dlq")
    String dlqTopic();

    /** Larger record values are dead-lettered. */
    @WithDefault("262144")
    int maxEventBytes();

    @WithDefault("webhooks")
    String groupId();

    /** Records per poll, stored in one database transaction. */
    @WithDefault("500")
    int maxPollRecords();

    /** Wait before polling again after the database or the DLQ failed. */
    @WithDefault("1s")
    Duration failureBackoff();

    /** Switch the consumer off (an instance that only delivers). */
    @WithDefault("true")
    boolean enabled();
}
