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

    @Inject
    io.quarkus.scheduler.Scheduler scheduler;

    @Test
    void purgesDeliveriesThatEndedBeforeTheRetentionAndKeepsTheRest() {
        // the scheduled purge (1 minute after the start, then every 10) would take the lock or the rows: paused, and
        // a run already under way waited for (it holds the lock while it purges)
        scheduler.pause(RetentionPurge.JOB);
        try {
            // taken and released at once (Db closes its connection, which ends the session's lock)
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(Db.query(
                    "select pg_try_advisory_lock(?) as got", RetentionPurge.LOCK).get(0).get("got")));
            purgesAlone();
        } finally {
            scheduler.resume(RetentionPurge.JOB);
        }
    }

    private void purgesAlone() {
        Api.Owner owner = Api.newOwner();
        String webhook = Api.createWebhook(owner, Map.of("url", "http://127.0.0.1:9/x", "events", List.of("*")));
        Instant old = Instant.now().minus(Duration.ofDays(40));
        Instant older = Instant.now().minus(Duration.ofDays(100)); // beyond the 90 days a failure is kept
        Instant recent = Instant.now().minus(Duration.ofDays(2));

        String oldDelivered = event(owner, old);
        String oldDeliveredRow = delivery(owner, webhook, oldDelivered, "delivered", old);
        String oldFailed = event(owner, older);
        String oldFailedRow = delivery(owner, webhook, oldFailed, "failed", older);
        String oldReplayed = event(owner, older);
        String oldReplayedRow = delivery(owner, webhook, oldReplayed, "replayed", older);
        String copyOfOldReplayed = delivery(owner, webhook, oldReplayed, "delivered", recent);
        String monthOldFailed = event(owner, old);
        String monthOldFailedRow = delivery(owner, webhook, monthOldFailed, "failed", old);
        String monthOldReplayed = event(owner, old);
        String monthOldReplayedRow = delivery(owner, webhook, monthOldReplayed, "replayed", old);
        String oldPending = event(owner, old);
        String oldPendingRow = delivery(owner, webhook, oldPending, "pending", null); // a retry due tomorrow
        Db.update("update delivery set next_attempt_at = ? where id = ?", Timestamp.from(Instant.now().plus(
                Duration.ofDays(1))), oldPendingRow);
        String recentFailed = event(owner, recent);
        String recentFailedRow = delivery(owner, webhook, recentFailed, "failed", recent);
        String fresh = event(owner, recent);
        String freshRow = delivery(owner, webhook, fresh, "delivered", recent);

        String oldCompletedReplay = replay(owner, webhook, "completed", old);
        String oldCancelledReplay = replay(owner, webhook, "cancelled", old);
        String recentCancelledReplay = replay(owner, webhook, "cancelled", recent);
        String oldRunningReplay = replay(owner, webhook, "running", null);

        RetentionPurge.Purged purged = purge.purge();
        assertThat(purged.deliveries(), greaterThanOrEqualTo(3));
        assertThat("finished replays, completed or cancelled, go after the retention", Db.query(
                "select id from replay where id in (?, ?)", oldCompletedReplay, oldCancelledReplay), hasSize(0));
        assertThat("a recent or running one stays", Db.query("select id from replay where id in (?, ?)",
                recentCancelledReplay, oldRunningReplay), hasSize(2));

        for (String gone : List.of(oldDeliveredRow, oldFailedRow, oldReplayedRow)) {
            assertThat(gone + " ended before the retention", Db.query("select id from delivery where id = ?", gone),
                    hasSize(0));
            assertThat(Db.query("select id from delivery_attempt where delivery_id = ?", gone), hasSize(0));
        }
        assertThat("an old event with nothing left is purged", Db.query("select id from event where id in (?, ?)",
                oldDelivered, oldFailed), hasSize(0));
        assertThat("the copy of a replayed delivery stays, and its event",
                Db.query("select id from delivery where id = ?", copyOfOldReplayed), hasSize(1));
        assertThat(Db.query("select id from event where id = ?", oldReplayed), hasSize(1));
        assertThat("a pending delivery stays, and its event", Db.query("select id from delivery where id = ?",
                oldPendingRow), hasSize(1));
        assertThat(Db.query("select id from event where id = ?", oldPending), hasSize(1));
        for (String kept : List.of(monthOldFailedRow, monthOldReplayedRow)) {
            assertThat(kept + ": a failure 40 days old is kept (90 days), for its customer to replay",
                    Db.query("select id from delivery where id = ?", kept), hasSize(1));
        }
        assertThat("and so are their events", Db.query("select id from event where id in (?, ?)", monthOldFailed,
                monthOldReplayed), hasSize(2));
        assertThat("a failed delivery stays replayable during the retention",
                Db.query("select id from delivery where id = ?", recentFailedRow), hasSize(1));
        assertThat(Db.query("select id from event where id = ?", recentFailed), hasSize(1));
        assertThat(Db.query("select id from delivery where id = ?", freshRow), hasSize(1));
        assertThat(Db.query("select id from event where id = ?", fresh), hasSize(1));
    }

    /** A replay in {@code state}, created 40 days ago, ended at {@code at} (null: not ended). */
    private static String replay(Api.Owner owner, String webhook, String state, Instant at) {
        String id = Ids.newId("rpl");
        Db.update("insert into replay (id, owner, endpoint_id, dry_run, state, total, max_seq, created_at, "
                + "completed_at, cancelled_at) values (?, ?, ?, false, ?, 0, 0, ?, ?, ?)", id, owner.name(), webhook,
                state, Timestamp.from(Instant.now().minus(Duration.ofDays(40))), at == null ? null : Timestamp.from(at),
                "cancelled".equals(state) ? Timestamp.from(at) : null);
        return id;
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
                status, Timestamp.from(at == null ? Instant.now() : at), at == null ? null : Timestamp.from(at));
        Db.update("insert into delivery_attempt (delivery_id, attempt, started_at, duration_ms, request_headers) "
                + "values (?, 1, ?, 5, '{}'::jsonb)", id, Timestamp.from(at == null ? Instant.now() : at));
        return id;
    }
}
