package dev.git.webhooks.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Infrastructure;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import dev.git.webhooks.testing.ServiceProcess;

/**
 * Kills the packaged service with SIGKILL while deliveries are in flight, starts it again, and checks that every
 * event reached every endpoint, with duplicates only among what was in flight at the kill.
 */
class CrashRecoveryIT {

    private static final int EVENTS = 300;
    private static final int ENDPOINTS = 3;
    /** A restarted instance sends again within the time a dead instance's work takes to come back (SPEC §3). */
    private static final Duration RESUME = Duration.ofSeconds(15);
    /**
     * And everything left (about 600 deliveries of 50 ms) is recorded delivered within this: 11 s on a quiet machine,
     * more than 60 s once beside the application tests' start (not explained yet; the deliveries by status are
     * printed when it is not met); the same 120 s the test always allowed.
     */
    private static final Duration RECOVER = Duration.ofSeconds(120);

    @Test
    void losesNothingWhenKilledMidDelivery() throws Exception {
        Infrastructure.startOnce();
        Map<String, String> env = ServiceProcess.environment();
        env.put("WEBHOOKS_DELIVERY_TIMEOUT", "2s");
        env.put("WEBHOOKS_DELIVERY_RETRY_SCHEDULE", "1s,1s,1s,1s,1s");
        String owner = "crash-" + Ids.random(8);
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < ENDPOINTS; i++) {
            String path = Receivers.newPath();
            Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)
                    .withFixedDelay(50)));
            paths.add(path);
        }

        ServiceProcess first = ServiceProcess.start(env).awaitReady(Duration.ofSeconds(90));
        String key = first.newKey(owner, List.of("webhooks:write"));
        for (String path : paths) {
            first.as(key).body(Map.of("url", Receivers.url(path), "events", List.of("*")))
                    .post("/v2/webhooks").then().statusCode(201);
        }
        Set<String> events = new HashSet<>();
        for (int i = 0; i < EVENTS; i++) {
            String id = "evt_crash_" + i + "_" + Ids.random(6);
            events.add(id);
            Kafka.producer().send(new org.apache.kafka.clients.producer.ProducerRecord<>("repo.push",
                    owner.getBytes(), Kafka.event("repo.push", id, owner, null).getBytes()));
        }
        Kafka.producer().flush();

        int expected = EVENTS * ENDPOINTS;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> received(paths).size() >= expected / 3);
        first.kill();

        Set<String> receivedBeforeKill = deliveryIds(received(paths));
        Set<String> recorded = Db.query("select d.id from delivery d where d.owner = ? and d.status = 'delivered'",
                owner).stream().map(r -> (String) r.get("id")).collect(Collectors.toSet());
        Set<String> inFlightAtKill = new HashSet<>(receivedBeforeKill);
        inFlightAtKill.removeAll(recorded);
        int storedAtKill = Db.query("select id from delivery where owner = ?", owner).size();

        Duration resumed;
        Duration recovered;
        try (ServiceProcess second = ServiceProcess.start(env).awaitReady(Duration.ofSeconds(90))) {
            long ready = System.nanoTime();
            int beforeRestart = received(paths).size();
            try {
                await("the restarted service sends again within the takeover time").atMost(RESUME)
                        .pollInterval(Duration.ofMillis(100)).until(() -> received(paths).size() > beforeRestart);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // seen once in many runs (a reap 8.7 s after ready, then nothing for 6 s): what the instance did
                System.out.printf("crash test: nothing sent %s after the restart; deliveries by status and claim %s; "
                        + "the restarted instance's log:%n%s%n", RESUME, Db.query("select status, split_part(claim, "
                        + "'.', 1) as claimed_by, count(*) as n, min(next_attempt_at) as due from delivery where owner "
                        + "= ? group by 1, 2", owner), second.output());
                throw e;
            }
            resumed = Duration.ofNanos(System.nanoTime() - ready);
            try {
                await("everything recorded delivered").atMost(RECOVER).pollInterval(Duration.ofMillis(250))
                        .until(() -> Db.query("select id from delivery where owner = ? and status = 'delivered'",
                                owner).size() == expected);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                System.out.printf("crash test: not recovered after %s: deliveries by status %s, %d requests "
                        + "received%n", RECOVER, Db.query("select status, count(*) as n from delivery where owner = ? "
                        + "group by status", owner), received(paths).size());
                throw e;
            }
            recovered = Duration.ofNanos(System.nanoTime() - ready);
        }
        List<LoggedRequest> all = received(paths);
        // a duplicate is what a receiver sees twice: the same event at the same endpoint, whatever the delivery id
        Map<String, List<String>> byPair = all.stream().collect(Collectors.groupingBy(
                r -> r.getUrl() + " " + r.getHeader("webhook-id"),
                Collectors.mapping(r -> r.getHeader("X-Webhook-Delivery"), Collectors.toList())));
        Set<String> pairs = byPair.keySet();
        int duplicates = all.size() - pairs.size();
        System.out.printf("crash test: %d events x %d endpoints; at the kill %d deliveries stored, %d received, "
                + "%d recorded, %d in flight (received, not recorded); after restart sending again in %d ms, "
                + "everything delivered in %d ms; %d requests, %d duplicates%n",
                EVENTS, ENDPOINTS, storedAtKill, receivedBeforeKill.size(), recorded.size(), inFlightAtKill.size(),
                resumed.toMillis(), recovered.toMillis(), all.size(), duplicates);

        assertThat("every event reached every endpoint", pairs.size(), equalTo(expected));
        assertThat(events.stream().allMatch(id -> paths.stream().allMatch(p -> pairs.contains(p + " " + id))),
                equalTo(true));
        assertThat("the kill came mid-delivery", receivedBeforeKill.size(), lessThanOrEqualTo(expected - 1));
        assertThat(receivedBeforeKill.size(), greaterThan(0));
        assertThat("duplicates only among what was in flight", duplicates, lessThanOrEqualTo(inFlightAtKill.size()));
        byPair.forEach((pair, deliveries) -> {
            if (deliveries.size() > 1) {
                assertThat("a duplicate of " + pair + " is a resend of one delivery, not a second delivery",
                        new HashSet<>(deliveries), hasSize(1));
                assertThat("duplicate " + pair + " was in flight at the kill", inFlightAtKill.contains(
                        deliveries.get(0)), equalTo(true));
            }
        });
    }

    private static List<LoggedRequest> received(List<String> paths) {
        List<LoggedRequest> all = new ArrayList<>();
        paths.forEach(p -> all.addAll(Receivers.received(p)));
        return all;
    }

    private static Set<String> deliveryIds(List<LoggedRequest> requests) {
        return requests.stream().map(r -> r.getHeader("X-Webhook-Delivery")).collect(Collectors.toSet());
    }
}
