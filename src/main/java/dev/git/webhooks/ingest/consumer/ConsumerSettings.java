package dev.git.webhooks.ingest.consumer;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.git.webhooks.ingest.IngestConfig;

/** The consumer's Kafka properties: the operator's {@code kafka.*} keys, then what ingest relies on. */
public final class ConsumerSettings {

    private ConsumerSettings() {
    }

    public static Map<String, Object> of(IngestConfig config, Map<String, Object> kafka) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // committed after the store, by the loop
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // a dead instance's partitions move to a live one within the session timeout plus a rebalance: 15 s at most
        // with the defaults (docs/configuration.md)
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis());
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) config.heartbeatInterval().toMillis());
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "webhooks-ingest");
        return props;
    }
}
