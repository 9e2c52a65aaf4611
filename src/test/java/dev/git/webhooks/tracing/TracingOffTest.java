package dev.git.webhooks.tracing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.junit.QuarkusTest;

/** The default: no OTLP endpoint, no tracing; the service starts and delivers as ever, and keeps the context. */
@QuarkusTest
class TracingOffTest {

    private static final String PRODUCER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Inject
    InMemorySpanExporter spans;

    @Inject
    Tracing tracing;

    @Test
    void withoutAnEndpointNothingIsTracedAndEverythingIsDelivered() throws Exception {
        assertThat(tracing.enabled(), equalTo(false));
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        String id = Kafka.newEventId();
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("repo.push", null,
                Kafka.event("repo.push", id, owner.name(), null).getBytes(StandardCharsets.UTF_8));
        record.headers().add(TraceParent.HEADER, PRODUCER.getBytes(StandardCharsets.US_ASCII));
        Kafka.producer().send(record).get();

        List<LoggedRequest> received = await().atMost(Duration.ofSeconds(10))
                .until(() -> Receivers.received(hook.path()), list -> list.size() == 1);
        assertThat(received.get(0).getHeader("webhook-id"), equalTo(id));
        assertThat(received.get(0).getHeader("traceparent"), nullValue());
        assertThat("stored all the same: a retry after tracing was switched on joins the producer's trace",
                Db.query("select traceparent from event where id = ?", id),
                equalTo(List.of(Map.of("traceparent", PRODUCER))));
        assertThat(spans.getFinishedSpanItems(), empty());
    }
}
