package dev.git.webhooks.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
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

        try (ServiceProcess second = ServiceProcess.start(env).awaitReady(Duration.ofSeconds(90))) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> Db.query("select id from delivery where owner = ? and status = 'delivered'", owner)
                            .size() == expected);
        }
        List<LoggedRequest> all = received(paths);
        Set<String> pairs = all.stream().map(r -> r.getUrl() + " " + r.getHeader("webhook-id"))
                .collect(Collectors.toSet());
        int duplicates = all.size() - deliveryIds(all).size();
        System.out.printf("crash test: %d events x %d endpoints; at the kill %d deliveries stored, %d received, "
                + "%d recorded, %d in flight (received, not recorded); after restart %d requests, %d duplicates%n",
                EVENTS, ENDPOINTS, storedAtKill, receivedBeforeKill.size(), recorded.size(), inFlightAtKill.size(),
                all.size(), duplicates);

        assertThat("every event reached every endpoint", pairs.size(), equalTo(expected));
        assertThat(events.stream().allMatch(id -> paths.stream().allMatch(p -> pairs.contains(p + " " + id))),
                equalTo(true));
        assertThat("the kill came mid-delivery", receivedBeforeKill.size(), lessThanOrEqualTo(expected - 1));
        assertThat(receivedBeforeKill.size(), greaterThan(0));
        assertThat("duplicates only among what was in flight", duplicates, lessThanOrEqualTo(inFlightAtKill.size()));
        for (String id : deliveryIds(all)) {
            long copies = all.stream().filter(r -> id.equals(r.getHeader("X-Webhook-Delivery"))).count();
            if (copies > 1) {
                assertThat("duplicate " + id + " was in flight at the kill", inFlightAtKill.contains(id),
                        equalTo(true));
            }
        }
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
