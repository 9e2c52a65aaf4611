package dev.git.webhooks.it;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.BrokerProcess;
import dev.git.webhooks.testing.CountingReceiver;
import dev.git.webhooks.testing.CountingReceiver.Answer;
import dev.git.webhooks.testing.Infrastructure;
import dev.git.webhooks.testing.Load;
import dev.git.webhooks.testing.RestartablePostgres;
import dev.git.webhooks.testing.ServiceProcess;

/**
 * The service past its capacity, not at a comfortable rate: events published twice as fast as the endpoints take
 * their deliveries (two endpoints, each answering after 16 ms with at most 8 requests in flight: 1,000 deliveries a
 * second in all, for 2,000 offered), the single broker killed with SIGKILL once a fifth of the deliveries arrived and
 * started again on its data about 10 s later, then PostgreSQL stopped the hard way for about 10 s. Every promise holds
 * there too: deliveries go on while the broker is away and readiness stays UP; readiness goes DOWN while the database
 * is away and UP again when it is back, without a restart, each probe answered within a second; nothing lost,
 * nothing left pending, no deadlock in PostgreSQL, no instance taking itself for dead, duplicates only among what
 * was sent and not yet recorded when the database went away, and no more than a second's worth; and a third endpoint,
 * ordered by a key of 32 values, gets each key's events in the order they were published.
 * {@code -Dwebhooks.overload.events}, {@code .rate} and {@code .answer-ms} change the load.
 */
class OverloadIT {

    private static final int EVENTS = Integer.getInteger("webhooks.overload.events", 20_000);
    private static final int RATE = Integer.getInteger("webhooks.overload.rate", 1_000);
    /** How long each endpoint takes to answer: with 8 in flight per endpoint, this sets their capacity. */
    private static final int ANSWER_MILLIS = Integer.getInteger("webhooks.overload.answer-ms", 16);
    private static final List<String> ENDPOINTS = List.of("overload-a", "overload-b");
    /**
     * Beside them, an endpoint that answers at once and takes every event in order per key (SPEC §12): the events
     * carry {@code KEYS} values of {@code /data/n} in turn, its ordering key.
     */
    private static final String ORDERED = "overload-ordered";
    private static final int KEYS = 32;
    private static final List<String> ALL = List.of(ENDPOINTS.get(0), ENDPOINTS.get(1), ORDERED);
    /** After the last event was acknowledged, everything has arrived within this (the pace is the machine's). */
    private static final Duration DRAIN = Duration.ofSeconds(90);

    @Test
    void keepsEveryPromiseWhenDrivenPastCapacityAndTheBrokerIsKilled() throws Exception {
        Infrastructure.startOnce();
        try (RestartablePostgres postgres = RestartablePostgres.start(); BrokerProcess broker = BrokerProcess.start();
                Load load = Load.on(broker.bootstrapServers()); CountingReceiver receiver = CountingReceiver.start()) {
            Map<String, String> env = load.environment();
            env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
            try (ServiceProcess service = ServiceProcess.start(env).awaitReady(Duration.ofSeconds(90))) {
                List<String> urls = new ArrayList<>();
                ENDPOINTS.forEach(name -> urls.add(receiver.endpoint(name, Answer.okAfter(ANSWER_MILLIS))));
                load.endpointsAt(service, urls);
                load.endpointsAt(service, List.of(receiver.endpoint(ORDERED, Answer.ok())),
                        Map.of("ordering", Map.of("key", "/data/n")));
                long deadlocksBefore = deadlocks(postgres);

                CompletableFuture<Void> producing = load.keyed(KEYS).publishInBackground(EVENTS, RATE);
                int expected = EVENTS * ALL.size();
                await("a fifth arrived").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> receiver.accepted() >= expected / 5);
                broker.kill();
                Instant killed = Instant.now();
                long acceptedAtKill = receiver.accepted();
                await("deliveries of what is stored go on without the broker").atMost(Duration.ofSeconds(5))
                        .until(() -> receiver.accepted() > acceptedAtKill + 100);
                // every probe of 8 s answers UP; counted here rather than by an await whose bound (during 8 s, at
                // most 9 s) a probe slowed by the saturated machine overran while every answer was UP
                List<String> downWithoutBroker = new ArrayList<>();
                int probes = 0;
                for (long end = System.nanoTime() + Duration.ofSeconds(8).toNanos(); System.nanoTime() < end;
                        probes++) {
                    if (ready(service) != 200) {
                        downWithoutBroker.add(lastDown);
                    }
                    Thread.sleep(500);
                }
                assertThat("readiness stays UP without the broker (it is the database's), over " + probes
                        + " probes", downWithoutBroker, empty());
                assertThat("readiness was probed all along (at most 1.5 s apart)", probes, greaterThan(4));
                broker.restart();

                await("three fifths arrived").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                        .until(() -> receiver.accepted() >= expected * 3 / 5);
                long acceptedBefore = receiver.accepted();
                pause(Duration.ofSeconds(1));
                long perSecond = receiver.accepted() - acceptedBefore;
                Set<String> recorded = delivered(postgres);
                postgres.stopImmediately();
                Set<String> sentNotRecorded = new HashSet<>(receiver.acceptedDeliveries());
                sentNotRecorded.removeAll(recorded);
                await("readiness reports the database down").atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(250)).until(() -> ready(service) == 503);
                pause(Duration.ofSeconds(7));
                assertThat("still down while the database is away", ready(service), equalTo(503));
                postgres.restart();
                await("readiness reports UP again without a restart of the service").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250)).until(() -> ready(service) == 200);
                producing.get();
                load.flush();
                Instant published = Instant.now();

                await("every acknowledged event reaches both endpoints").atMost(DRAIN)
                        .pollInterval(Duration.ofMillis(250)).until(() -> missing(load, receiver).isEmpty());
                Instant drained = Instant.now();
                await("every outcome is recorded").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                        .until(() -> pending(postgres) == 0);
                long deadlocks = deadlocks(postgres) - deadlocksBefore;
                String log = service.output();
                log.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).limit(40)
                        .forEach(l -> System.out.println("service: " + l));
                List<String> outOfOrder = load.outOfOrder(receiver.acceptedInOrder(ORDERED));
                System.out.printf("overload: %d events x %d endpoints published at %d/s (two answering after %d ms, "
                        + "one ordered by %d keys answering at once), broker killed for 10 s, then PostgreSQL stopped "
                        + "for 10 s while %d deliveries a second arrived and %d were sent and not recorded; everything "
                        + "arrived %d ms after the last publish (%d ms after the broker's kill); %d requests, %d "
                        + "duplicates (%s), %d deadlocks; slowest readiness probe %d ms; %d keys out of order%n",
                        load.acked().size(), ALL.size(), RATE, ANSWER_MILLIS, KEYS, perSecond, sentNotRecorded.size(),
                        Duration.between(published, drained).toMillis(), Duration.between(killed, drained).toMillis(),
                        receiver.requests(), receiver.duplicatePairs(), receiver.duplicatedDeliveries().size(),
                        deadlocks, slowestProbeMillis, outOfOrder.size());

                assertThat(load.acked().size(), greaterThan(EVENTS * 9 / 10));
                assertThat("nothing lost", missing(load, receiver), empty());
                assertThat("each key's events reached the ordered endpoint in the order published", outOfOrder,
                        empty());
                assertThat("no deadlock in PostgreSQL", deadlocks, equalTo(0L));
                assertThat("a live instance never takes itself for dead", log, not(containsString("taken for dead")));
                assertThat("nothing left pending", pending(postgres), equalTo(0L));
                assertThat("duplicates only among deliveries sent and not yet recorded when PostgreSQL stopped",
                        sentNotRecorded.containsAll(receiver.duplicatedDeliveries()), equalTo(true));
                assertThat("no more duplicates than a second's worth", receiver.duplicatePairs(),
                        lessThanOrEqualTo(perSecond));
                assertThat("readiness answers within a second, the database away or not", slowestProbeMillis,
                        lessThanOrEqualTo(1000L));
            }
        }
    }

    private static List<String> missing(Load load, CountingReceiver receiver) {
        List<String> missing = new ArrayList<>();
        for (String id : load.acked()) {
            for (String name : ALL) {
                if (!receiver.got(name, id)) {
                    missing.add(name + " " + id);
                }
            }
        }
        return missing;
    }

    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();
    private long slowestProbeMillis;

    /** The last answer of readiness that was not 200, for the message of a failure. */
    private volatile String lastDown = "none";

    private int ready(ServiceProcess service) throws Exception {
        long start = System.nanoTime();
        java.net.http.HttpResponse<String> answer = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(service.managementUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(5))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        slowestProbeMillis = Math.max(slowestProbeMillis, (System.nanoTime() - start) / 1_000_000);
        if (answer.statusCode() != 200) {
            lastDown = answer.statusCode() + " " + answer.body().replaceAll("\\s+", " ");
        }
        return answer.statusCode();
    }

    private static void pause(Duration duration) {
        await().atMost(duration.plusSeconds(1)).pollDelay(duration).until(() -> true);
    }

    private static Set<String> delivered(RestartablePostgres postgres) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select id from delivery where status = 'delivered'")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static long deadlocks(RestartablePostgres postgres) throws SQLException {
        return single(postgres, "select deadlocks from pg_stat_database where datname = current_database()");
    }

    private static long pending(RestartablePostgres postgres) throws SQLException {
        return single(postgres, "select count(*) from delivery where status = 'pending'");
    }

    private static long single(RestartablePostgres postgres, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
                Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
