package dev.git.webhooks.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Infrastructure;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import dev.git.webhooks.testing.ServiceProcess;

/**
 * Kills the packaged service with SIGKILL around the commit of deliveries failing for good, and checks that a failure
 * and its {@code delivery.exhausted} commit together: at the kill and after the restart, the failed deliveries and
 * the notices are the same set, and in the end every delivery failed with exactly one notice, each sent to the
 * endpoint that subscribed to them. The kill lands where it matters, not by chance: once {@link #PASSED} notices
 * have been inserted, a trigger holds the next insert of a notice (a sleep in the database) and the service is killed
 * while it waits. The notice stored in a transaction of its own after the failure's commit (as before) was lost for
 * good there: its failure was committed already.
 */
class ExhaustedNoticeCrashIT {

    private static final int EVENTS = 400;
    private static final int PASSED = 50;

    @Test
    void aFailureAndItsNoticeSurviveAKillTogether() throws Exception {
        Infrastructure.startOnce();
        Map<String, String> env = ServiceProcess.environment();
        env.put("WEBHOOKS_DELIVERY_RETRY_SCHEDULE", "1s"); // two attempts, then failed for good
        env.put("WEBHOOKS_DELIVERY_TIMEOUT", "2s");
        env.put("WEBHOOKS_DELIVERY_BREAKER_REQUEST_VOLUME", "100000"); // never full: the breaker stays closed
        // a dead instance's claims come back in a few seconds rather than 15
        env.put("WEBHOOKS_OUTBOX_LEASE", "3s");
        env.put("WEBHOOKS_OUTBOX_HEARTBEAT", "1s");
        env.put("WEBHOOKS_OUTBOX_INSTANCE_TIMEOUT", "3s");
        env.put("WEBHOOKS_OUTBOX_REAP_EVERY", "1s");
        String owner = "notice-crash-" + Ids.random(8);
        String failing = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(failing)).willReturn(aResponse().withStatus(500)
                .withFixedDelay(10)));
        String alerts = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(alerts)).willReturn(aResponse().withStatus(200)));

        ServiceProcess first = ServiceProcess.start(env).awaitReady(Duration.ofSeconds(90));
        // the schema is there once the service has started (Flyway)
        String hold = "hold_" + owner.replace('-', '_');
        Db.update("create sequence " + hold);
        Db.update("create function " + hold + "() returns trigger language plpgsql as $$ begin "
                + "if nextval('" + hold + "') = " + (PASSED + 1) + " then perform pg_sleep(30); end if; return null; "
                + "end $$");
        Db.update("create trigger " + hold + " after insert on event for each row when (new.owner = '" + owner
                + "' and new.type = 'delivery.exhausted') execute function " + hold + "()");

        String key = first.newKey(owner, List.of("webhooks:write"));
        String webhook = first.as(key).body(Map.of("url", Receivers.url(failing), "events", List.of("*")))
                .post("/v2/webhooks").then().statusCode(201).extract().as(Json.Doc.class).at("id");
        first.as(key).body(Map.of("url", Receivers.url(alerts), "events", List.of("delivery.exhausted")))
                .post("/v2/webhooks").then().statusCode(201);
        for (int i = 0; i < EVENTS; i++) {
            Kafka.producer().send(new org.apache.kafka.clients.producer.ProducerRecord<>("repo.push",
                    owner.getBytes(), Kafka.event("repo.push", "evt_notice_" + i + "_" + Ids.random(6), owner, null)
                            .getBytes()));
        }
        Kafka.producer().flush();

        String held = "select pid from pg_stat_activity where wait_event = 'PgSleep' and query like "
                + "'%insert into event%'";
        try {
            await("a notice is being stored").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !Db.query(held).isEmpty());
            first.kill();
            // its session, still sleeping, ends as PostgreSQL ends the session of a client that is gone (at its next
            // read, or sooner with client_connection_check_interval): what it had not committed is rolled back
            Db.query("select pg_terminate_backend(pid) from (" + held + ") s");
        } finally {
            Db.update("drop trigger " + hold + " on event");
            Db.update("drop function " + hold + "()");
            Db.update("drop sequence " + hold);
        }

        State atKill = state(webhook, owner);
        Set<String> failedAtKill = atKill.failed();
        assertThat("the kill came while deliveries were failing", failedAtKill.size(), lessThan(EVENTS));
        assertThat("after some had failed", failedAtKill.size(), greaterThan(0));
        assertThat("each failure recorded at the kill has its notice, and only those", atKill.noticed(),
                equalTo(failedAtKill));

        try (ServiceProcess second = ServiceProcess.start(env).awaitReady(Duration.ofSeconds(90))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> failed(webhook).size() == EVENTS);
            State end = state(webhook, owner);
            Set<String> failed = end.failed();
            assertThat("every failure has exactly one notice", end.noticed(), equalTo(failed));
            Set<String> notices = failed.stream().map(id -> "evt_exhausted_" + id).collect(Collectors.toSet());
            await().atMost(Duration.ofSeconds(30)).until(() -> Receivers.received(alerts).stream()
                    .map(r -> r.getHeader("webhook-id")).collect(Collectors.toSet()).equals(notices));
        }
        System.out.printf("notice crash test: %d deliveries failed at the kill (of %d), all with their notice; %d "
                + "notices received by the subscriber%n", failedAtKill.size(), EVENTS,
                Receivers.received(alerts).size());
    }

    private static Set<String> failed(String webhook) {
        return Db.query("select id from delivery where endpoint_id = ? and status = 'failed'", webhook).stream()
                .map(r -> (String) r.get("id")).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The endpoint's failed deliveries, and those that the owner's delivery.exhausted events are about. */
    private record State(Set<String> failed, Set<String> noticed) {
    }

    /** Read in one statement, so from one snapshot: a commit cannot fall between the two halves. */
    private static State state(String webhook, String owner) {
        State state = new State(new TreeSet<>(), new TreeSet<>());
        for (Map<String, Object> row : Db.query("""
                select 'failed' as kind, id from delivery where endpoint_id = ? and status = 'failed'
                union all
                select 'noticed', substr(id, length('evt_exhausted_') + 1) from event
                where owner = ? and type = 'delivery.exhausted'""", webhook, owner)) {
            ("failed".equals(row.get("kind")) ? state.failed() : state.noticed()).add((String) row.get("id"));
        }
        return state;
    }
}
