package dev.git.webhooks.ingest;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code webhooks.ingest.*}: what the Kafka consumer reads, where bad records go, and when ingest is unhealthy. */
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

    /**
     * After a poll that returned records, the consumer polls again for up to this long, while more keep coming within
     * half of it, and stores them in one transaction with the first (it stops once it holds {@code max-poll-records}):
     * events that arrive at a steady rate cost one transaction per linger, not one or two each. A lone event waits
     * half of it at most. 0 stores each poll alone. 20 ms, not 10: a tenth less CPU for paced traffic in the service
     * and a sixth less in PostgreSQL, for a few ms more at the median and a far shorter tail under load
     * (docs/benchmarks.md, runs V and W).
     */
    @WithDefault("20ms")
    Duration linger();

    /** First wait before retrying a batch after the database or the DLQ failed; doubles up to the maximum. */
    @WithDefault("1s")
    Duration failureBackoff();

    @WithDefault("30s")
    Duration maxFailureBackoff();

    /** Switch the consumer off (an instance that only delivers). */
    @WithDefault("true")
    boolean enabled();

    /**
     * Kafka's consumer session timeout: a dead instance's partitions go to another one after this (plus a
     * rebalance of about a second). The broker bounds it (group.min.session.timeout.ms, 6 s by default).
     */
    @WithDefault("10s")
    Duration sessionTimeout();

    /**
     * Heartbeats to the group coordinator; a third of the session timeout or less. The survivors of a dead instance
     * learn of the rebalance at their next heartbeat, so a short one shortens the takeover.
     */
    @WithDefault("1s")
    Duration heartbeatInterval();

    /** The ingest health group reports DOWN when the consumer has held a record this long without moving past it. */
    @WithDefault("60s")
    Duration stallAfter();

    /** How often the broker is checked for the ingest health group (the probe reads the latest result). */
    @WithDefault("5s")
    Duration brokerCheckInterval();

    /** Dead letters and repeated failures are logged as counts once per interval. */
    @WithDefault("10s")
    Duration logInterval();

    /** A dead letter too large for the broker is published with its value cut to this many bytes. */
    @WithDefault("65536")
    int dlqTruncatedBytes();
}
