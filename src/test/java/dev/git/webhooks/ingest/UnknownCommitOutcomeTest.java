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
    EventStore store;

    @Test
    void deliveriesOfAStoreThatCommittedUnbeknownAreSentWhenTheBatchIsReadAgain() {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        String value = storedButNeverHandedOver(owner);
        Kafka.publish("repo.push", owner.name(), value); // the batch, read again
        assertSentOnce(hook, Duration.ofSeconds(15));
    }

    @Test
    void aFreshDeliveryThatThisInstanceClaimedAndNeverGotIsSentOnceItIsHalfAHorizonOld() {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        storedButNeverHandedOver(owner); // and nothing reads the batch again
        assertSentOnce(hook, Duration.ofSeconds(20)); // half the test profile's fresh horizon (10 s), a heartbeat
    }

    /** A batch stored and committed whose jobs never reached the lanes; answers the record's value. */
    private String storedButNeverHandedOver(Api.Owner owner) {
        String id = Kafka.newEventId();
        String value = Kafka.event("repo.push", id, owner.name(), null);
        store.store(List.of(new IncomingEvent(id, "repo.push", owner.name(), null, Instant.now(),
                value.getBytes(StandardCharsets.UTF_8), "repo.push", -1, -1, null, null)), Map.of());
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
