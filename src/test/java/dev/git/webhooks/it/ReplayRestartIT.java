package dev.git.webhooks.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;


import dev.git.webhooks.common.Ids;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Infrastructure;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import dev.git.webhooks.testing.ServiceProcess;

/** A replay of 1,000 failed deliveries survives a restart of the service and delivers each exactly once more. */
class ReplayRestartIT {

    private static final int EVENTS = 1000;

    @Test
    void aReplayResumesAfterARestartAndDeliversEachOnce() throws Exception {
        Infrastructure.startOnce();
        Map<String, String> env = ServiceProcess.environment();
        env.put("WEBHOOKS_DELIVERY_RETRY_SCHEDULE", "100ms");
        env.put("WEBHOOKS_DELIVERY_BREAKER_REQUEST_VOLUME", "1000000");
        env.put("WEBHOOKS_OPS_REPLAY_RATE", "100");
        String owner = "replay-" + Ids.random(8);
        String path = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(500)));

        ServiceProcess first = ServiceProcess.start(env).awaitReady(Duration.ofSeconds(90));
        String key = first.newKey(owner, List.of("webhooks:write", "deliveries:read", "deliveries:replay"));
        String webhook = first.as(key).body(Map.of("url", Receivers.url(path), "events", List.of("*")))
                .post("/v2/webhooks").then().statusCode(201).extract().as(Json.Doc.class).at("id");
        for (int i = 0; i < EVENTS; i++) {
            String id = "evt_rpl_" + i + "_" + Ids.random(6);
            Kafka.producer().send(new ProducerRecord<>("deploy.failed", owner.getBytes(),
                    Kafka.event("deploy.failed", id, owner, null).getBytes()));
        }
        Kafka.producer().flush();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> Db.query(
                "select id from delivery where owner = ? and status = 'failed'", owner).size() == EVENTS);

        Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));
        String replay = first.as(key).body(Map.of("status", "failed")).post("/v2/webhooks/" + webhook + "/replay")
                .then().statusCode(202).body(Json.at("total", equalTo(EVENTS))).extract().as(Json.Doc.class).at("id");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> first.as(key)
                .get("/v2/replays/" + replay).<Integer>path("processed") >= 200);
        first.process().destroy(); // SIGTERM: a restart, in the middle of the replay
        first.process().waitFor(30, TimeUnit.SECONDS);
        int processedAtRestart = Db.query("select processed from replay where id = ?", replay).get(0)
                .get("processed") instanceof Integer n ? n : -1;

        try (ServiceProcess second = ServiceProcess.start(env).awaitReady(Duration.ofSeconds(90))) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> "completed".equals(second.as(key).get("/v2/replays/" + replay).path("state")));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> Db.query(
                    "select id from delivery where replay_id = ? and status = 'delivered'", replay).size() == EVENTS);
            second.as(key).get("/v2/replays/" + replay).then().body(Json.at("processed", equalTo(EVENTS)))
                    .body(Json.at("total", equalTo(EVENTS)));
        }
        Map<String, Long> accepted = Receivers.server().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(path) && e.getResponse().getStatus() == 200)
                .collect(Collectors.groupingBy(e -> e.getRequest().getHeader("webhook-id"), Collectors.counting()));
        System.out.printf("replay test: %d failed deliveries replayed, restart after %d; %d events accepted, "
                + "%d more than once%n", EVENTS, processedAtRestart, accepted.size(),
                accepted.values().stream().filter(c -> c > 1).count());
        assertThat(processedAtRestart, lessThan(EVENTS));
        assertThat("every failed event delivered once more", accepted.size(), equalTo(EVENTS));
        assertThat("and only once", accepted.values().stream().allMatch(c -> c == 1), equalTo(true));
        assertThat(Db.query("select id from delivery where replay_id = ?", replay).size(), equalTo(EVENTS));
    }


}
