package dev.git.webhooks.outbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The outbox's SQL against PostgreSQL: every write about a claimed delivery applies only while the claim is the
 * writer's, and the reaper gives back at once the claims of a dead instance, leased ones and the fresh ones that its
 * last heartbeat bounds.
 * The rows belong to an endpoint that does not exist, so that the service's own poller never claims them.
 */
@QuarkusTest
class OutboxFencingTest {

    @Inject
    OutboxStore outbox;

    @Inject
    AttemptLog attempts;

    @Inject
    Reaper reaper;

    @Inject
    DataSource dataSource;

    @Inject
    Instance instance;

    @Test
    void writesAboutAClaimApplyOnlyWhileTheClaimIsHeld() {
        String endpoint = "wh_fence_" + Ids.random(8);
        List<DeliveryJob> jobs = insertFresh(endpoint, 2);
        DeliveryJob taken = jobs.get(0);
        DeliveryJob kept = jobs.get(1);
        assertThat(outbox.renew(jobs, Instant.now().plusSeconds(12)), empty());

        Db.update("update delivery set claim = 'i_other.1' where id = ?", taken.deliveryId()); // another instance
        assertThat("a claim that passed to another instance is reported lost",
                outbox.renew(jobs, Instant.now().plusSeconds(12)), equalTo(Set.of(taken.deliveryId())));

        outbox.release(List.of(new OutboxStore.Release(taken, Instant.now())), Set.of());
        assertThat("a release under a lost claim changes nothing", row(taken).get("claim"), equalTo("i_other.1"));

        List<Outcome> recorded = attempts.record(List.of(delivered(taken), delivered(kept)), Instant.now());
        assertThat(recorded.stream().map(o -> o.job().deliveryId()).toList(), equalTo(List.of(kept.deliveryId())));
        assertThat("the outcome under a lost claim is refused", row(taken).get("status"), equalTo("pending"));
        assertThat(row(kept).get("status"), equalTo("delivered"));
        assertThat("a delivered row keeps no lease", row(kept).get("next_attempt_at"), nullValue());
    }

    @Test
    void theReaperGivesBackAtOnceTheClaimsOfADeadInstanceLeasedOrFreshWithinItsLastHeartbeatsBound() {
        String endpoint = "wh_reap_" + Ids.random(8);
        String dead = "i_dead_" + Ids.random(8);
        Instant oldestFresh = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        String inBound = insertRow(endpoint, dead + ".1", oldestFresh.plusSeconds(1), null);
        String atBound = insertRow(endpoint, dead + ".1", oldestFresh, null);
        String leased = insertRow(endpoint, dead + ".2", oldestFresh.plusSeconds(2), Instant.now().plusSeconds(5));
        String leasedLater = insertRow(endpoint, dead + ".2", oldestFresh.plusSeconds(2), Instant.now().plusSeconds(5));
        String alive = insertRow(endpoint, "i_alive_" + Ids.random(6) + ".1", oldestFresh.plusSeconds(1), null);
        // the dead instance last: the service's own reaper, running every 2 s, could otherwise reap it between this
        // row and the claims above, and leave those claims to no one
        Db.update("insert into outbox_instance (id, started_at, alive_until, oldest_fresh) values (?, ?, ?, ?)", dead,
                Timestamp.from(oldestFresh.minusSeconds(60)), Timestamp.from(Instant.now().minusSeconds(1)),
                Timestamp.from(oldestFresh));

        reaper.reap(); // the service's own reaper may have been first: the outcome is the same

        for (String id : List.of(inBound, atBound)) {
            assertThat("a fresh claim of the dead instance goes back to the queue", row(id).get("claim"), nullValue());
            assertThat(row(id).get("next_attempt_at"), notNullValue());
        }
        assertThat("a leased row is left to the endpoint's new owner", row(leased).get("claim"), equalTo(dead + ".2"));
        Db.update("delete from delivery where id = ?", leasedLater);
        assertThat("another instance's fresh claim is not touched", row(alive).get("next_attempt_at"), nullValue());
        assertThat("the dead instance is forgotten",
                Db.query("select id from outbox_instance where id = ?", dead), empty());
    }

    /**
     * A dead instance's last word on its oldest fresh claim can be late (a batch committed and not yet in its engine
     * when it beat): the reaper looks a fresh horizon back from its last heartbeat all the same, and finds the claim.
     */
    @Test
    void theReaperFindsAFreshClaimOlderThanTheDeadInstanceLastReported() {
        String endpoint = "wh_reap_" + Ids.random(8);
        String dead = "i_dead_" + Ids.random(8);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String unreported = insertRow(endpoint, dead + ".1", now.minusSeconds(5), null);
        Db.update("insert into outbox_instance (id, started_at, alive_until, oldest_fresh) values (?, ?, ?, ?)", dead,
                Timestamp.from(now.minusSeconds(60)), Timestamp.from(now.minusSeconds(1)),
                Timestamp.from(now.minusSeconds(2)));

        reaper.reap(); // or the service's own reaper: the outcome is the same

        assertThat("the claim the instance did not report goes back to the queue", row(unreported).get("claim"),
                nullValue());
        assertThat(row(unreported).get("next_attempt_at"), notNullValue());
    }

    @Test
    void theOwnerOfAnEndpointSendsWhatAGoneInstanceLeasedWithoutWaitingForTheLease() {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        String eventId = Kafka.newEventId();
        Db.update("""
                insert into event (id, type, owner, payload, occurred_at, received_at)
                values (?, 'repo.push', ?, ?, now(), now())""", eventId, owner.name(),
                Kafka.event("repo.push", eventId, owner.name(), null).getBytes(StandardCharsets.UTF_8));
        Instant leaseEnd = Instant.now().plusSeconds(12);
        String leased = insertRow(hook.id(), "i_gone_" + Ids.random(8) + ".1", Instant.now(), leaseEnd);
        Db.update("update delivery set owner = ?, event_id = ? where id = ?", owner.name(), eventId, leased);

        await("sent by this instance, which owns the endpoint, long before the lease ends")
                .atMost(Duration.ofSeconds(6)).until(() -> Receivers.received(hook.path()).size() == 1);
        assertThat(Instant.now(), lessThanOrEqualTo(leaseEnd.minusSeconds(5)));
    }

    /**
     * A claim that reaches the database after another instance took the endpoint's bucket over (a pause, a partition)
     * takes nothing of the new owner's leases; with the bucket its own, the same claim takes the row, and claimed again
     * once its lease lapsed, keeps its claim. All of it in one transaction, rolled back: the service's own instance
     * never sees the row nor the other owner.
     */
    @Test
    void aClaimTakesNothingOfAnEndpointWhoseBucketAnotherInstanceOwns() {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        String eventId = Kafka.newEventId();
        String id = Ids.newTimeOrderedId("dlv", System.currentTimeMillis());
        String other = "i_other_" + Ids.random(8);
        QuarkusTransaction.begin();
        try {
            try (Connection connection = dataSource.getConnection()) {
                execute(connection, """
                        insert into event (id, type, owner, payload, occurred_at, received_at)
                        values (?, 'repo.push', ?, ?, now(), now())""", eventId, owner.name(),
                        Kafka.event("repo.push", eventId, owner.name(), null).getBytes(StandardCharsets.UTF_8));
                execute(connection, """
                        insert into delivery (id, event_id, endpoint_id, owner, event_type, status, attempts,
                                              next_attempt_at, created_at, claim)
                        values (?, ?, ?, ?, 'repo.push', 'pending', 0, now() + interval '5 seconds', now(), ?)""",
                        id, eventId, hook.id(), owner.name(), other + ".1");
                String bucket = "update endpoint_bucket set owner = ? "
                        + "where bucket = (select bucket from webhook_endpoint where id = ?)";
                execute(connection, bucket, other, hook.id());
                assertThat("the bucket is another instance's: its lease is left alone",
                        outbox.claim(Map.of(hook.id(), 8), Instant.now()), empty());
                execute(connection, bucket, instance.id(), hook.id());
                List<DeliveryJob> taken = outbox.claim(Map.of(hook.id(), 8), Instant.now());
                assertThat("the bucket is this instance's: it takes the other's lease over",
                        taken.stream().map(DeliveryJob::deliveryId).toList(), equalTo(List.of(id)));
                execute(connection, "update delivery set next_attempt_at = now() - interval '1 second' where id = ?",
                        id); // its lease lapsed (the database was away)
                assertThat("claimed again by its holder, it keeps its claim: an outcome written under it applies",
                        outbox.claim(Map.of(hook.id(), 8), Instant.now()).stream().map(DeliveryJob::claim).toList(),
                        equalTo(List.of(taken.get(0).claim())));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        } finally {
            QuarkusTransaction.rollback();
        }
        assertThat("rolled back", Db.query("select id from delivery where id = ?", id), empty());
    }

    private static void execute(Connection connection, String sql, Object... values) throws java.sql.SQLException {
        try (var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    @Test
    void aLiveInstanceGivesBackTheFreshClaimsItHoldsNotInTheWindowItLooksAt() {
        String endpoint = "wh_orphan_" + Ids.random(8);
        String me = "i_live_" + Ids.random(8);
        Instant from = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        Instant to = from.plusSeconds(30);
        String orphan = insertRow(endpoint, me + ".1", from.plusSeconds(1), null);
        String held = insertRow(endpoint, me + ".1", from.plusSeconds(2), null);
        String leased = insertRow(endpoint, me + ".2", from.plusSeconds(3), Instant.now().plusSeconds(5));
        String later = insertRow(endpoint, me + ".3", to, null);
        String before = insertRow(endpoint, me + ".1", from.minusMillis(1), null);
        String others = insertRow(endpoint, "i_else_" + Ids.random(6) + ".1", from.plusSeconds(1), null);

        assertThat(reaper.releaseOrphans(me, from, to, List.of(held), Instant.now()), equalTo(1));

        assertThat("held by no one: back to the queue", row(orphan).get("claim"), nullValue());
        assertThat(row(orphan).get("next_attempt_at"), notNullValue());
        for (String kept : List.of(held, leased, later, before, others)) {
            assertThat("untouched: held, leased, outside the window or another's", row(kept).get("claim"),
                    notNullValue());
        }
    }

    @Test
    void theScansForFreshClaimsReadARangeOfIdsOnlyWhereTheCollationSortsIdsByTime() throws Exception {
        long now = System.currentTimeMillis();
        try (Connection connection = dataSource.getConnection()) {
            assertThat("bytewise order: ids sort by their time",
                    Reaper.sortsByTime(connection, "pg_catalog.\"C\"", now), equalTo(true));
            assertThat("the database's default collation, delivery.id's",
                    Reaper.sortsByTime(connection, "pg_catalog.\"default\"", now), equalTo(true));
            // an ICU collation that sorts digits as numbers ("9a" before "10"): a range of ids would miss rows
            connection.createStatement().execute("create collation if not exists test_numeric_digits "
                    + "(provider = icu, locale = 'en-u-kn-true')");
            assertThat(Reaper.sortsByTime(connection, "public.test_numeric_digits", now), equalTo(false));
        }
    }

    private List<DeliveryJob> insertFresh(String endpoint, int count) {
        Instant now = Instant.now();
        List<NewDelivery> deliveries = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            deliveries.add(new NewDelivery(Ids.newTimeOrderedId("dlv", now.toEpochMilli()), "evt_fence_" + i,
                    endpoint, "org-fence", "repo.push", new byte[] {'{', '}'},
                    new DeliveryJob.Target(endpoint, 0, "https://example.com", new byte[0], "k", null, null, null),
                    null, null, null, null));
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return outbox.insert(connection, deliveries, now);
            }
        });
    }

    private static String insertRow(String endpoint, String claim, Instant createdAt, Instant nextAttemptAt) {
        String id = Ids.newTimeOrderedId("dlv", createdAt.toEpochMilli());
        Db.update("""
                insert into delivery (id, event_id, endpoint_id, owner, event_type, status, attempts, next_attempt_at,
                                      created_at, claim)
                values (?, 'evt_reap', ?, 'org-fence', 'repo.push', 'pending', 0, cast(? as timestamptz), ?, ?)""", id, endpoint,
                nextAttemptAt == null ? null : Timestamp.from(nextAttemptAt), Timestamp.from(createdAt), claim);
        return id;
    }

    private static Map<String, Object> row(DeliveryJob job) {
        return row(job.deliveryId());
    }

    private static Map<String, Object> row(String id) {
        return Db.query("select status, claim, next_attempt_at from delivery where id = ?", id).get(0);
    }

    private static Outcome delivered(DeliveryJob job) {
        return new Outcome(job, new AttemptResult(Instant.now(), 3, Map.of(), 200, Map.of(), "", null, null),
                DeliveryStatus.DELIVERED, null, false);
    }
}
