package dev.git.webhooks.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Management;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class EndpointHealthTest {

    @Test
    void anOpenBreakerHoldsDeliveriesWithoutSpendingAttempts() {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(503));
        String path = hook.path();
        String webhook = hook.id();
        for (int i = 0; i < 40; i++) {
            Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(),
                    null));
        }
        // The breaker opens once half of a window of 20 attempts failed (all of them fail here).
        await().atMost(Duration.ofSeconds(15)).until(() -> Db.query("select id from delivery where endpoint_id = ? "
                + "and status = 'pending' and attempts = 0 and next_attempt_at > now() + interval '15 seconds'",
                webhook).size() > 0);
        int sent = Receivers.received(path).size();
        await("no request while the breaker is open").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                .until(() -> Receivers.received(path).size() == sent);
        long attempts = ((Number) Db.query("select count(*) as n from delivery_attempt a join delivery d "
                + "on d.id = a.delivery_id where d.endpoint_id = ?", webhook).get(0).get("n")).longValue();
        System.out.printf("breaker: %d requests before it opened, none in the 3 s after, %d attempts recorded%n",
                sent, attempts);
        assertThat("held deliveries are not attempts", attempts, lessThanOrEqualTo((long) sent));
        assertThat(sent, lessThanOrEqualTo(40));
        assertThat(Db.query("select id from delivery where endpoint_id = ? and status = 'failed'", webhook).size(),
                equalTo(0));
    }

    @Test
    void anEndpointFailingForTheWholePeriodIsAutoDisabled() {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(500));
        String webhook = hook.id();
        // As if it had been failing for six days already (the limit is five).
        Db.update("update webhook_endpoint set failing_since = ? where id = ?",
                Timestamp.from(Instant.now().minus(Duration.ofDays(6))), webhook);
        double disabledBefore = autoDisabledCount();
        String event = Kafka.newEventId();
        Kafka.publish("deploy.failed", owner.name(), Kafka.event("deploy.failed", event, owner.name(), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> "auto_disabled".equals(owner.request()
                .get("/v2/webhooks/" + webhook).path("status")));
        owner.request().get("/v2/webhooks/" + webhook).then().body(Json.at("disabled_reason", equalTo("failing")));
        await("counted for the alert").atMost(Duration.ofSeconds(5))
                .until(() -> autoDisabledCount() > disabledBefore);
        await().atMost(Duration.ofSeconds(5)).until(() -> "failed".equals(Db.query(
                "select status from delivery where event_id = ?", event).get(0).get("status")));
        assertThat(Db.query("select last_error from delivery where event_id = ?", event).get(0).get("last_error"),
                equalTo("endpoint_disabled"));
        // no retries after the disable: nothing of the endpoint is left pending to send
        assertThat(Db.query("select id from delivery where endpoint_id = ? and status = 'pending'", webhook),
                hasSize(0));
    }

    private static double autoDisabledCount() {
        Matcher count = Pattern.compile("(?m)^webhooks_endpoints_auto_disabled_total ([0-9.E]+)$")
                .matcher(Management.metrics());
        return count.find() ? Double.parseDouble(count.group(1)) : 0;
    }

    @Test
    void aSuccessClearsTheFailingClock() {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        String path = hook.path();
        String webhook = hook.id();
        Db.update("update webhook_endpoint set failing_since = ? where id = ?",
                Timestamp.from(Instant.now().minus(Duration.ofDays(1))), webhook);
        Kafka.publish("pr.merged", owner.name(), Kafka.event("pr.merged", Kafka.newEventId(), owner.name(), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> Db.query("select failing_since from webhook_endpoint "
                + "where id = ?", webhook).get(0).get("failing_since") == null);
        assertThat(Receivers.received(path).size(), greaterThan(0));
    }
}
