package dev.git.webhooks.ingest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
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
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A store whose commit failed with an unknown outcome (the connection broke during the commit) may have committed:
 * its deliveries are then claimed by this live instance, which never got them. When the batch is read again and its
 * events come back as known ones, those deliveries go back to the queue and are sent; if nothing reads it again,
 * the heartbeat finds them held by no one once they are half a fresh horizon old.
 */
@QuarkusTest
class UnknownCommitOutcomeTest {

    @Inject
    Instance instance;

    @Test
    void deliveriesOfAStoreThatCommittedUnbeknownAreSentWhenTheBatchIsReadAgain() {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        String value = storedButNeverHandedOver(owner, hook);
        Kafka.publish("repo.push", owner.name(), value); // the batch, read again
        assertSentOnce(hook, Duration.ofSeconds(15));
    }

    @Test
    void aFreshDeliveryThatThisInstanceClaimedAndNeverGotIsSentOnceItIsHalfAHorizonOld() {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        storedButNeverHandedOver(owner, hook); // and nothing reads the batch again
        assertSentOnce(hook, Duration.ofSeconds(20)); // half the test profile's fresh horizon (10 s), a heartbeat
    }

    /**
     * What a store whose commit seemed to fail leaves when it had committed after all: the event, and its delivery
     * claimed fresh by this instance (in no queue), which its engine never got. Answers the record's value.
     */
    private String storedButNeverHandedOver(Api.Owner owner, Api.Hook hook) {
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
        return value;
    }

    private static void assertSentOnce(Api.Hook hook, Duration within) {
        await().atMost(within).until(() -> Receivers.received(hook.path()).size() == 1);
        await("sent once").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> Receivers.received(hook.path()), hasSize(1));
    }
}
