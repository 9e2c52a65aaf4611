package dev.git.webhooks.ops.health;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.outbox.ActivityViews;
import dev.git.webhooks.outbox.ActivityViews.Activity;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Kafka;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An endpoint that refuses every connection, with its newest deliveries waiting untried behind its open circuit
 * breaker: read from its newest deliveries alone, its health said "0 attempts, no error"; read from its latest
 * attempts (the tried pending deliveries included) it is failing, with the error that the customer must fix.
 */
@QuarkusTest
class HealthFromLatestAttemptsTest {

    @Inject
    Breakers breakers;

    @Inject
    ActivityViews views;

    @Inject
    HealthQueries health;

    @Test
    void theNewestDeliveriesWaitingBehindAnOpenBreakerDoNotHideTheAttemptsThatFailed() {
        Api.Owner owner = Api.newOwner();
        String id = Api.createWebhook(owner, Map.of("url", "http://127.0.0.1:1/closed", "events", List.of("*")));
        publish(owner, 25);
        await().atMost(Duration.ofSeconds(15)).until(() -> "open".equals(breakers.state(id)));
        publish(owner, 5); // the newest five: held while the breaker is open (it waits 30 s before a trial)
        await().atMost(Duration.ofSeconds(10)).until(() -> owner.request().queryParam("limit", 100)
                .get("/v2/webhooks/" + id + "/deliveries").<List<?>>path("data").size() == 30);
        Instant hour = Instant.now().minus(Duration.ofHours(1));

        Activity newestOnly = QuarkusTransaction.requiringNew().call(() -> views.activity(List.of(id), 5, 0, hour))
                .get(id);
        assertThat("the blind spot: the newest five were never tried", newestOnly.attempts(), equalTo(0L));

        Activity latest = QuarkusTransaction.requiringNew().call(() -> views.activity(List.of(id), 5, 1000, hour))
                .get(id);
        assertThat(latest.attempts(), greaterThanOrEqualTo(20L));
        assertThat(latest.successes(), equalTo(0L));
        assertThat(latest.lastSucceeded(), equalTo(false));
        assertThat(latest.lastErrorClass(), equalTo("connection_refused"));
        assertThat(latest.lastError(), equalTo("connection_refused"));
        assertThat(latest.pending(), equalTo(30L));
        assertThat(latest.waiting(), greaterThanOrEqualTo(5L));

        EndpointStatus status = health.statusOf(owner.name(), id);
        assertThat(status.verdict().level(), equalTo("failing"));
        assertThat(status.ratio().percent(), equalTo("0 %"));
    }

    private static void publish(Api.Owner owner, int events) {
        for (int i = 0; i < events; i++) {
            Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null));
        }
    }
}
