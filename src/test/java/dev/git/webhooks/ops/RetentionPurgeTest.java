package dev.git.webhooks.ops;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RetentionPurgeTest {

    @Inject
    RetentionPurge purge;

    @Test
    void purgesOldDeliveredRowsAndKeepsWhatCanStillBeReplayed() {
        Api.Owner owner = Api.newOwner();
        String webhook = Api.createWebhook(owner, Map.of("url", "http://127.0.0.1:9/x", "events", List.of("*")));
        Instant old = Instant.now().minus(Duration.ofDays(40));
        Instant recent = Instant.now().minus(Duration.ofDays(2));

        String oldDelivered = event(owner, old);
        String oldDeliveredRow = delivery(owner, webhook, oldDelivered, "delivered", old);
        String oldFailed = event(owner, old);
        delivery(owner, webhook, oldFailed, "failed", old);
        String oldMixed = event(owner, old);
        delivery(owner, webhook, oldMixed, "delivered", old);
        String mixedFailed = delivery(owner, webhook, oldMixed, "failed", old);
        String fresh = event(owner, recent);
        String freshRow = delivery(owner, webhook, fresh, "delivered", recent);

        RetentionPurge.Purged purged = purge.purge();
        assertThat(purged.deliveries(), greaterThanOrEqualTo(2));

        assertThat(Db.query("select id from delivery where id = ?", oldDeliveredRow), hasSize(0));
        assertThat(Db.query("select id from delivery_attempt where delivery_id = ?", oldDeliveredRow), hasSize(0));
        assertThat("an old event with nothing left is purged", Db.query("select id from event where id = ?",
                oldDelivered), hasSize(0));
        assertThat("failed deliveries stay replayable", Db.query("select id from delivery where event_id = ?",
                oldFailed), hasSize(1));
        assertThat(Db.query("select id from event where id = ?", oldFailed), hasSize(1));
        assertThat(Db.query("select id from delivery where event_id = ?", oldMixed), hasSize(1));
        assertThat(Db.query("select id from delivery where id = ?", mixedFailed), hasSize(1));
        assertThat(Db.query("select id from event where id = ?", oldMixed), hasSize(1));
        assertThat(Db.query("select id from delivery where id = ?", freshRow), hasSize(1));
        assertThat(Db.query("select id from event where id = ?", fresh), hasSize(1));
    }

    private static String event(Api.Owner owner, Instant at) {
        String id = "evt_old_" + Ids.random(10);
        Db.update("insert into event (id, type, owner, payload, occurred_at, received_at) values (?, 'repo.push', ?, "
                + "'{}'::bytea, ?, ?)", id, owner.name(), Timestamp.from(at), Timestamp.from(at));
        return id;
    }

    private static String delivery(Api.Owner owner, String webhook, String event, String status, Instant at) {
        String id = Ids.newId("dlv");
        Db.update("insert into delivery (id, event_id, endpoint_id, owner, event_type, status, attempts, created_at, "
                + "completed_at) values (?, ?, ?, ?, 'repo.push', ?, 1, ?, ?)", id, event, webhook, owner.name(),
                status, Timestamp.from(at), Timestamp.from(at));
        Db.update("insert into delivery_attempt (delivery_id, attempt, started_at, duration_ms, request_headers) "
                + "values (?, 1, ?, 5, '{}'::jsonb)", id, Timestamp.from(at));
        return id;
    }
}
