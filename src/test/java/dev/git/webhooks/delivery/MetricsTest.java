package dev.git.webhooks.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.outbox.OutboxGauges;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Management;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class MetricsTest {

    @Inject
    EndpointStats stats;

    @Inject
    OutboxGauges gauges;

    @Test
    void exposesTheServiceMetricsForPrometheus() {
        Api.Owner owner = Api.newOwner();
        String path = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));
        String webhook = Api.createWebhook(owner, Map.of("url", Receivers.url(path), "events", List.of("*")));
        Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null));
        Kafka.publish("repo.push", owner.name(), "{broken");
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path).size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> Management.metrics()
                .contains("webhooks_deliveries_total{outcome=\"delivered\"}"));
        // The ratio is published for the window that a publish() takes: the test's, unless the scheduled one (every
        // 30 s) took the attempt first, or the attempt is counted just after the test's publish(). Either way one more
        // attempt lands in the next window.
        String ratio = "(?s).*webhooks_endpoint_success_ratio\\{endpoint=\"" + webhook + "\"} 1\\.0.*";
        await("the endpoint's success ratio published").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    stats.publish();
                    if (Management.metrics().matches(ratio)) {
                        return true;
                    }
                    int before = Receivers.received(path).size();
                    Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(),
                            owner.name(), null));
                    await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path).size() > before);
                    return false;
                });
        gauges.refresh();

        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("webhooks_events_consumed_total{outcome=\"stored\",type=\"repo.push\"}"))
                .body(containsString("webhooks_events_dead_lettered_total{reason=\"invalid_json\"}"))
                .body(containsString("webhooks_delivery_attempt_seconds_bucket{result=\"success\""))
                .body(containsString("webhooks_outbox_pending "))
                .body(containsString("webhooks_ingest_lag_seconds_count "))
                .body(containsString("webhooks_ingest_batch_seconds{quantile=\"0.99\"}"))
                .body(containsString("webhooks_outbox_oldest_due_seconds "));
    }
}
