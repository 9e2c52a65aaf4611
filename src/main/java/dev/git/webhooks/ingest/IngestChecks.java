package dev.git.webhooks.ingest;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.git.webhooks.common.SettingsCheck;
import dev.git.webhooks.common.SettingsProblems;

/**
 * The ingest keys, checked at startup: topics named, the dead-letter topic apart from them, sizes and durations
 * positive, heartbeats well within the session timeout.
 */
@ApplicationScoped
public class IngestChecks implements SettingsCheck {

    private final IngestConfig config;

    public IngestChecks(IngestConfig config) {
        this.config = config;
    }

    @Override
    public void check(SettingsProblems problems) {
        problems.general("webhooks.ingest", IngestConfig.class, config);
        problems.check(config.topics().stream().noneMatch(String::isBlank), "webhooks.ingest.topics",
                "must not name an empty topic");
        problems.check(!config.dlqTopic().isBlank() && !config.topics().contains(config.dlqTopic()),
                "webhooks.ingest.dlq-topic", "must name a topic that is not consumed");
        problems.positive("webhooks.ingest.max-event-bytes", config.maxEventBytes());
        problems.positive("webhooks.ingest.max-poll-records", config.maxPollRecords());
        problems.check(!config.linger().isNegative() && config.linger().compareTo(Duration.ofSeconds(1)) <= 0,
                "webhooks.ingest.linger", "must be between 0 and 1s");
        problems.positive("webhooks.ingest.failure-backoff", config.failureBackoff());
        problems.check(config.maxFailureBackoff().compareTo(config.failureBackoff()) >= 0,
                "webhooks.ingest.max-failure-backoff", "must not be shorter than webhooks.ingest.failure-backoff");
        problems.positive("webhooks.ingest.session-timeout", config.sessionTimeout());
        problems.check(config.heartbeatInterval().multipliedBy(3).compareTo(config.sessionTimeout()) <= 0
                && !config.heartbeatInterval().isZero(), "webhooks.ingest.heartbeat-interval",
                "must be positive and at most a third of webhooks.ingest.session-timeout");
        problems.positive("webhooks.ingest.stall-after", config.stallAfter());
        problems.positive("webhooks.ingest.broker-check-interval", config.brokerCheckInterval());
        problems.positive("webhooks.ingest.log-interval", config.logInterval());
    }
}
