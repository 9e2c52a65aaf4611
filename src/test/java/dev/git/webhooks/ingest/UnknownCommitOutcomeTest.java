package dev.git.webhooks.ingest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.outbox.Instance;
import dev.git.webhooks.outbox.OutboxConfig;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A store whose commit failed with an unknown outcome (the connection broke during the commit) may have committed:
 * its deliveries are then claimed by this live instance, which never got them. When the batch is read again and its
 * events come back as known ones, those deliveries go back to the queue and are sent; if nothing reads it again,
 * the heartbeat finds them held by no one once they are half a fresh horizon old (the orphan sweep).
 *
 * <p>The first case breaks a real commit ({@link LostCommitAnswer}) and must see the delivery sent before it is half
 * a fresh horizon old: the orphan sweep never takes a claim younger than that, so only the batch read again can pass.
 * The second case leaves what such a commit leaves with nothing reading the batch again, and sees the sweep, and
 * only the sweep, send it.
 */
@QuarkusTest
class UnknownCommitOutcomeTest {

    @Inject
    Instance instance;

    @Inject
    OutboxConfig outbox;

    @Inject
    MeterRegistry metrics;

    @Test
    void deliveriesOfAStoreThatCommittedUnbeknownAreSentWhenTheBatchIsReadAgain() throws Exception {
        Duration sweepAge = outbox.freshHorizon().dividedBy(2);
        assertThat("a batch read again gives its claims back at the next heartbeat, before the sweep could",
                outbox.heartbeat(), lessThan(sweepAge));
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        String eventId = Kafka.newEventId();
        double failedStores = storeFailures();
        try (LostCommitAnswer lost = LostCommitAnswer.forEventsOf(owner.name())) {
            lost.holdCommits();
            Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", eventId, owner.name(), null));
            lost.killItsConnectionInTheCommit(Duration.ofSeconds(5));
        }
        await("the service saw its store fail").atMost(Duration.ofSeconds(5))
                .until(() -> storeFailures() > failedStores);
        Map<String, Object> delivery = onlyDelivery(owner, hook);
        assertThat("the store had committed all the same", delivery.get("event_id"), equalTo(eventId));

        Instant created = Instant.parse((String) delivery.get("created_at"));
        Instant swept = created.plus(sweepAge);
        Duration left = Duration.between(Instant.now(), swept);
        assertThat("time left before the orphan sweep could take the delivery", left, greaterThan(Duration.ZERO));
        await("sent before the orphan sweep could take it (" + swept + ")").atMost(left)
                .pollInterval(Duration.ofMillis(20)).until(() -> Receivers.received(hook.path()).size() == 1);
        System.out.printf("Unknown commit outcome: the delivery, stored at %s by a commit whose connection broke, "
                + "was sent %d ms after it was stored; the orphan sweep could not have taken it before %d ms%n",
                created, Duration.between(created, Instant.now()).toMillis(), sweepAge.toMillis());
        assertDeliveredOnce(owner, hook);
    }

    @Test
    void aFreshDeliveryThatThisInstanceClaimedAndNeverGotIsSentOnceItIsHalfAHorizonOld() {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        storedButNeverHandedOver(owner, hook); // and nothing reads the batch again
        Instant swept = Instant.parse((String) onlyDelivery(owner, hook).get("created_at"))
                .plus(outbox.freshHorizon().dividedBy(2));
        Instant now = Instant.now();
        // the sweep runs every heartbeat, and takes the claims older than half the fresh horizon
        await("sent by the orphan sweep, not before it could take the delivery (" + swept + ")")
                .atLeast(now.isBefore(swept) ? Duration.between(now, swept) : Duration.ZERO)
                .atMost(Duration.between(now, swept.plus(outbox.heartbeat()).plusSeconds(2)))
                .pollInterval(Duration.ofMillis(20)).until(() -> Receivers.received(hook.path()).size() == 1);
        assertDeliveredOnce(owner, hook);
    }

    /**
     * What a store whose commit seemed to fail leaves when it had committed after all: the event, and its delivery
     * claimed fresh by this instance (in no queue), which its engine never got.
     */
    private void storedButNeverHandedOver(Api.Owner owner, Api.Hook hook) {
        String id = Kafka.newEventId();
        String value = Kafka.event("repo.push", id, owner.name(), null);
        Db.update("""
                insert into event (id, type, owner, payload, occurred_at, received_at, source_topic)
                values (?, 'repo.push', ?, ?, now(), now(), 'repo.push')""", id, owner.name(),
                value.getBytes(StandardCharsets.UTF_8));
        Db.update("""
                insert into delivery (id, event_id, endpoint_id, owner, event_type, status, attempts, created_at, claim)
                values (?, ?, ?, ?, 'repo.push', 'pending', 0, now(), ?)""", Ids.newTimeOrderedId("dlv",
                System.currentTimeMillis()), id, hook.id(), owner.name(), instance.id() + ".lost");
        assertThat("claimed fresh by this instance, in no queue",
                Db.query("select next_attempt_at from delivery where event_id = ?", id).get(0).get("next_attempt_at"),
                nullValue());
    }

    /** The webhook's one delivery, as the API shows it. */
    private static Map<String, Object> onlyDelivery(Api.Owner owner, Api.Hook hook) {
        List<Map<String, Object>> deliveries = owner.request().get("/v2/webhooks/" + hook.id() + "/deliveries")
                .then().statusCode(200).extract().as(Json.Doc.class).at("data");
        assertThat(deliveries, hasSize(1));
        return deliveries.get(0);
    }

    /**
     * Received once and recorded as delivered after one attempt: no sweep takes a delivery that is done, so nothing
     * sends it again.
     */
    private static void assertDeliveredOnce(Api.Owner owner, Api.Hook hook) {
        await("recorded as delivered").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> "delivered".equals(onlyDelivery(owner, hook).get("status")));
        assertThat(onlyDelivery(owner, hook).get("attempts"), equalTo(1));
        assertThat(Receivers.received(hook.path()), hasSize(1));
    }

    private double storeFailures() {
        Counter counter = metrics.find("webhooks.ingest.failures").tag("stage", "store").counter();
        return counter == null ? 0 : counter.count();
    }
}
