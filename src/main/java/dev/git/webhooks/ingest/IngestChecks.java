package dev.git.webhooks.ingest;

import jakarta.enterprise.context.ApplicationScoped;

import dev.git.webhooks.common.SettingsCheck;
import dev.git.webhooks.common.SettingsProblems;

/** The ingest keys, checked at startup: topics named, the dead-letter topic apart from them, sizes positive. */
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
    }
}
