package dev.git.webhooks.catalog;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Management;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;

/** A producer's event whose data breaks its schema is delivered as the producer wrote it, and counted. */
@QuarkusTest
class SchemaDriftDeliveryTest {

    private static final Pattern COUNT = Pattern.compile(
            "webhooks_events_schema_violations_total\\{rule=\"required\",type=\"deploy.failed\"} ([0-9.]+)");

    @Test
    void eventBreakingItsSchemaIsDeliveredByteForByteAndCounted() {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, WireMock.aResponse().withStatus(204));
        double before = violations();
        String id = Kafka.newEventId();
        // "error" is required by deploy.failed; spacing and key order are the producer's own
        byte[] value = ("{ \"data\" : {\"deployment_id\":\"dep_1\", \"why\":\"caf\u00e9\"},\"event\":\"deploy.failed\","
                + "\"id\":\"" + id + "\",\"timestamp\":\"2025-01-20T14:35:22Z\",\"owner\":\"" + owner.name() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Kafka.publish("deploy.failed", owner.name(), value);

        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(hook.path()).size() == 1);
        assertThat(Receivers.received(hook.path()).get(0).getBody(), equalTo(value));
        await().atMost(Duration.ofSeconds(10)).until(() -> violations() > before);
        assertThat(violations(), greaterThan(before));
    }

    private static double violations() {
        Matcher m = COUNT.matcher(Management.metrics());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
