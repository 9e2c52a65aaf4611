package dev.git.webhooks.ingest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;

import dev.git.webhooks.testing.Infrastructure;
import dev.git.webhooks.testing.Kafka;

/**
 * The largest record value the test broker takes on {@code repo.push}: its {@code max.message.bytes} (1 MiB + 12 by
 * default) less the record batch overhead, found by trying on a scratch topic. The test producer's
 * {@code max.request.size} (2 MiB) lets the broker decide.
 */
final class BrokerLimit {

    private BrokerLimit() {
    }

    /** The largest record {@code make(pad)} makes that the broker still accepts (tried on a scratch topic). */
    static FuzzCorpus.Sample largestAccepted(IntFunction<FuzzCorpus.Sample> make) throws Exception {
        int limit;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", Infrastructure.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "repo.push");
            Config config = admin.describeConfigs(List.of(topic)).all().get(10, TimeUnit.SECONDS).get(topic);
            limit = Integer.parseInt(config.get("max.message.bytes").value());
        }
        for (int pad = limit - 300; pad > limit - 4096; pad -= 8) {
            FuzzCorpus.Sample sample = make.apply(pad);
            try {
                Kafka.producer().send(new ProducerRecord<>("fuzz.scratch", sample.key(), sample.value()))
                        .get(10, TimeUnit.SECONDS);
                return sample;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RecordTooLargeException)) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("no size near " + limit + " accepted");
    }
}
