package dev.git.webhooks.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Infrastructure;
import dev.git.webhooks.testing.Load;
import dev.git.webhooks.testing.ServiceProcess;

/**
 * Two live instances of the packaged service on one database and one consumer group: no event is delivered twice,
 * and when the one that ingests dies (SIGKILL) the other takes over its partitions within 15 s, and whatever it held,
 * losing nothing. Whether the dead one held claims depends on where the endpoints' buckets fell: that a held backlog
 * comes back in time is {@code ClusterIT}'s (an owner killed with its claims counted at the kill).
 */
class TwoInstancesIT {

    /** The promise to operators: a dead instance's claims come back to the others within this time. */
    private static final Duration TAKEOVER = Duration.ofSeconds(15);
    /** On top of the takeover: time for the survivor to send what came back (a few hundred deliveries). */
    private static final Duration SENDING = Duration.ofSeconds(5);

    @Test
    void twoInstancesNeverDuplicateAndTheSurvivorTakesOverWhenTheIngestingOneDies() throws Exception {
        Infrastructure.startOnce();
        try (Load load = Load.on(Infrastructure.bootstrapServers())) {
            Map<String, String> env = load.environment();
            Map<String, String> envA = new java.util.HashMap<>(env);
            envA.put("KAFKA_CLIENT_ID", "instance-a"); // so that the group says which partitions A consumes
            try (ServiceProcess a = ServiceProcess.start(envA); ServiceProcess b = ServiceProcess.start(env)) {
                a.awaitReady(Duration.ofSeconds(90));
                b.awaitReady(Duration.ofSeconds(90));
                load.endpoints(a, 2, aResponse().withStatus(200).withFixedDelay(20));

                load.publish(400);
                load.flush();
                await("both endpoints get every event").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200)).until(() -> load.missing().isEmpty());
                assertThat("two live instances deliver each event once", load.duplicates(), equalTo(0));

                load.answer(aResponse().withStatus(200).withFixedDelay(100));
                int before = load.accepted().size();
                load.publish(600);
                load.flush();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .until(() -> load.accepted().size() >= before + 300);
                int partitionsOfA = await("A consumes some of the partitions (not mid-rebalance)")
                        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> load.partitionsHeldBy("instance-a"), held -> held > 0);
                a.kill();
                Instant killed = Instant.now();
                Snapshot snapshot = Snapshot.take(load);
                // the slow answers kept deliveries in flight for the kill; from now on the receiver is fast, so that
                // the time measured is the takeover and not the artificial delay times the backlog
                load.answer(aResponse().withStatus(200));
                load.publish(200); // partitions of the dead instance must move to the survivor
                load.flush();

                await("the survivor sends what the dead one held and ingests its partitions")
                        .atMost(TAKEOVER.plus(SENDING).plus(Duration.ofSeconds(30))).pollInterval(Duration.ofMillis(100))
                        .until(() -> load.missing().isEmpty());
                Duration resumed = Duration.between(killed, Instant.now());
                int duplicates = load.duplicates();
                System.out.printf("two instances, ingesting one killed (it held %d of 4 partitions): %d events x 2 "
                        + "endpoints; at the kill %d pending, %d in flight (accepted, not recorded); all delivered %d ms "
                        + "after the kill; %d duplicates (%s)%n", partitionsOfA, load.acked().size(),
                        snapshot.pending().size(),
                        snapshot.inFlight().size(), resumed.toMillis(), duplicates, load.duplicatedDeliveries());

                assertThat("nothing lost", load.missing(), empty());
                assertThat("the kill came mid-load", snapshot.pending().size(), greaterThan(0));
                assertThat("the killed instance was ingesting: its partitions had to move", partitionsOfA,
                        greaterThan(0));
                assertThat("duplicates only among what was in flight at the kill",
                        load.duplicatedDeliveries().stream().allMatch(snapshot.inFlight()::contains), equalTo(true));
                assertThat(duplicates, lessThanOrEqualTo(snapshot.inFlight().size()));
                assertThat("and no event got a second delivery row for an endpoint (which the receiver's count by "
                        + "delivery id would not show)", Db.query("select endpoint_id, event_id from delivery where "
                        + "owner = ? group by endpoint_id, event_id having count(*) > 1", load.owner()), empty());
                assertThat("claims and partitions of the dead instance resumed in time", resumed,
                        lessThanOrEqualTo(TAKEOVER.plus(SENDING)));
            }
        }
    }

    /** The outbox right after a kill: what was still pending, and what was accepted but not recorded (in flight). */
    record Snapshot(Set<String> pending, Set<String> inFlight) {
        static Snapshot take(Load load) {
            Set<String> accepted = load.acceptedDeliveries();
            Set<String> delivered = Db.query("select id from delivery where owner = ? and status = 'delivered'",
                    load.owner()).stream().map(r -> (String) r.get("id")).collect(Collectors.toSet());
            Set<String> pending = Db.query("select id from delivery where owner = ? and status = 'pending'",
                    load.owner()).stream().map(r -> (String) r.get("id")).collect(Collectors.toSet());
            Set<String> inFlight = new HashSet<>(accepted);
            inFlight.removeAll(delivered);
            return new Snapshot(pending, inFlight);
        }
    }
}
