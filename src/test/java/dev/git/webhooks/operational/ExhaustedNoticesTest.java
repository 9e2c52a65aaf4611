package dev.git.webhooks.operational;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.ops.EndpointEnabling;
import dev.git.webhooks.subscription.WebhookEndpoints;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code delivery.exhausted} is stored in the transaction that fails the delivery, once: for the deliveries an
 * endpoint's stop fails as for those whose last attempt failed; a transaction that fails after the notice was written
 * leaves neither the failure nor the notice, and one the writer must try again stores no second notice.
 */
@QuarkusTest
class ExhaustedNoticesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    WebhookEndpoints endpoints;

    @Inject
    EntityManager em;

    @Inject
    EndpointEnabling enabling;

    private Api.Owner acme;
    private String alerts;

    /** The owner's other endpoint, subscribed to the notices by name. */
    @BeforeEach
    void ownerWithAnAlertsEndpoint() {
        acme = Api.newOwner();
        alerts = Receivers.newPath();
        Receivers.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(alerts)).willReturn(aResponse()
                .withStatus(200)));
        Api.createWebhook(acme, Map.of("url", Receivers.url(alerts), "events", List.of("delivery.exhausted")));
    }

    @Test
    void aStopFailsEachPendingDeliveryWithExactlyOneNotice() {
        Api.Hook waiting = Api.hook(acme, aResponse().withStatus(503).withHeader("Retry-After", "10"));
        List<String> pending = pendingDeliveries(waiting, 3);

        acme.request().post("/v2/webhooks/" + waiting.id() + "/disable").then().statusCode(200);
        // written with the disable, before it answered: no waiting for anything
        assertThat(statuses(waiting), equalTo(List.of("failed", "failed", "failed")));
        assertThat(noticedDeliveries(), containsInAnyOrder(pending.toArray()));
        for (String delivery : pending) {
            JsonNode data = notice(delivery).path("data");
            assertThat(data.path("webhook_id").asText(), equalTo(waiting.id()));
            assertThat(data.path("last_error").asText(), equalTo("endpoint_disabled"));
            assertThat(data.path("last_status").asInt(), equalTo(503));
            assertThat(data.path("attempts").asInt(), equalTo(1));
        }
        await("each notice sent once").atMost(Duration.ofSeconds(15)).until(() -> sent().size() == 3);
        assertThat(sent(), containsInAnyOrder(pending.toArray()));

        // stopped again, and switched off: the failed deliveries do not fail twice
        acme.request().body(Map.of()).post("/v2/webhooks/" + waiting.id() + "/enable").then().statusCode(200);
        acme.request().body(Map.of("active", false)).patch("/v2/webhooks/" + waiting.id()).then().statusCode(200);
        acme.request().post("/v2/webhooks/" + waiting.id() + "/disable").then().statusCode(200);
        assertThat(noticedDeliveries(), hasSize(3));
        await("and nothing more is sent").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> sent().size() == 3);
    }

    @Test
    void aStopAndItsNoticesCommitTogetherOrNotAtAll() {
        Api.Hook waiting = Api.hook(acme, aResponse().withStatus(503).withHeader("Retry-After", "10"));
        String delivery = pendingDeliveries(waiting, 1).get(0);

        RuntimeException failed = assertThrows(RuntimeException.class, () -> QuarkusTransaction
                .requiringNew().run(() -> {
                    endpoints.disable(acme.name(), waiting.id(), "owner");
                    em.flush();
                    assertThat("the notice is written in the stop's transaction", em.createNativeQuery(
                            "select count(*) from event where id = ?1").setParameter(1, "evt_exhausted_" + delivery)
                            .getSingleResult(), equalTo(1L));
                    throw new IllegalStateException("the transaction fails after the notice was written");
                }));
        Throwable cause = failed;
        while (cause.getCause() != null && !(cause instanceof IllegalStateException)) {
            cause = cause.getCause();
        }
        assertThat(cause.getMessage(), equalTo("the transaction fails after the notice was written"));
        assertThat("the delivery did not fail", statuses(waiting), equalTo(List.of("pending")));
        assertThat("and has no notice", noticedDeliveries(), empty());
        assertThat("nor the endpoint an endpoint.disabled notice", endpointNotices("endpoint.disabled", waiting.id()),
                equalTo(0L));
        acme.request().get("/v2/webhooks/" + waiting.id()).then().body(Json.at("status", equalTo("enabled")));

        acme.request().post("/v2/webhooks/" + waiting.id() + "/disable").then().statusCode(200);
        assertThat(statuses(waiting), equalTo(List.of("failed")));
        assertThat(noticedDeliveries(), equalTo(List.of(delivery)));
        assertThat("one endpoint.disabled notice", endpointNotices("endpoint.disabled", waiting.id()), equalTo(1L));

        // enabling likewise: its notice goes with the change, or neither is there
        RuntimeException rolledBack = assertThrows(RuntimeException.class, () -> QuarkusTransaction.requiringNew()
                .run(() -> {
            enabling.enable(acme.name(), waiting.id(), false, null);
            em.flush();
            assertThat("the notice is written in the enabling's transaction", ((Number) em.createNativeQuery("""
                    select count(*) from event where type = 'endpoint.enabled'
                    and convert_from(payload, 'UTF8')::jsonb -> 'data' ->> 'webhook_id' = ?1""")
                    .setParameter(1, waiting.id()).getSingleResult()).longValue(), equalTo(1L));
            throw new IllegalStateException("the transaction fails after the notice was written");
        }));
        Throwable why = rolledBack;
        while (why.getCause() != null && !(why instanceof IllegalStateException)) {
            why = why.getCause();
        }
        assertThat("it failed after the enabling and its notice", why.getMessage(),
                equalTo("the transaction fails after the notice was written"));
        acme.request().get("/v2/webhooks/" + waiting.id()).then().body(Json.at("status", equalTo("disabled")));
        assertThat("no endpoint.enabled notice without the change", endpointNotices("endpoint.enabled",
                waiting.id()), equalTo(0L));
        acme.request().post("/v2/webhooks/" + waiting.id() + "/enable").then().statusCode(200);
        assertThat("one endpoint.enabled notice", endpointNotices("endpoint.enabled", waiting.id()), equalTo(1L));
        assertThat("and still one endpoint.disabled", endpointNotices("endpoint.disabled", waiting.id()),
                equalTo(1L));
    }

    /** How many notices of {@code type} name the endpoint {@code webhookId}, committed. */
    private static long endpointNotices(String type, String webhookId) {
        return ((Number) Db.query("""
                select count(*) as n from event where type = ?
                and convert_from(payload, 'UTF8')::jsonb -> 'data' ->> 'webhook_id' = ?""", type, webhookId).get(0)
                .get("n")).longValue();
    }

    /**
     * The engine's writer records a last attempt and its notice in one transaction: while storing the notice fails
     * (a trigger refuses it, as a database that gives up on the transaction would), the failure is not recorded
     * either and the write is tried again as it is; once it can be stored, both are there, the notice once.
     */
    @Test
    void aLastAttemptAndItsNoticeAreRecordedTogetherAndTheNoticeOnce() {
        Api.Hook failing = Api.hook(acme, aResponse().withStatus(500));
        String trigger = "refuse_" + acme.name().replace('-', '_');
        Db.update("create function " + trigger + "() returns trigger language plpgsql as $$ begin "
                + "raise exception 'refused by a test' using errcode = 'serialization_failure'; end $$");
        Db.update("create trigger " + trigger + " after insert on event for each row when (new.owner = '"
                + acme.name() + "' and new.type = 'delivery.exhausted') execute function " + trigger + "()");
        try {
            Kafka.publish("deploy.failed", acme.name(), Kafka.event("deploy.failed", Kafka.newEventId(),
                    acme.name(), null));
            await("every attempt made").atMost(Duration.ofSeconds(30))
                    .until(() -> Receivers.received(failing.path()).size() == 4);
            await("the last one is not recorded without its notice").during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> statuses(failing).equals(List.of("pending")) && noticedDeliveries().isEmpty());
        } finally {
            Db.update("drop trigger " + trigger + " on event");
            Db.update("drop function " + trigger + "()");
        }
        await("recorded with its notice").atMost(Duration.ofSeconds(15))
                .until(() -> statuses(failing).equals(List.of("failed")));
        String delivery = deliveries(failing).get(0);
        assertThat(noticedDeliveries(), equalTo(List.of(delivery)));
        assertThat(notice(delivery).at("/data/attempts").asInt(), equalTo(4));
        assertThat("the attempt was recorded, not made again", Receivers.received(failing.path()), hasSize(4));
        await("the notice sent once").atMost(Duration.ofSeconds(15)).until(() -> sent().size() == 1);
    }

    /** Publishes {@code n} events that the endpoint refuses once, and parks each delivery's retry hours away. */
    private List<String> pendingDeliveries(Api.Hook hook, int n) {
        for (int i = 0; i < n; i++) {
            Kafka.publish("repo.push", acme.name(), Kafka.event("repo.push", Kafka.newEventId(), acme.name(), null));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> Receivers.received(hook.path()).size() == n);
        List<String> ids = deliveries(hook);
        for (String id : ids) {
            await("its retry is queued").atMost(Duration.ofSeconds(10)).until(() -> Db.update("update delivery set "
                    + "next_attempt_at = now() + interval '10 hours' where id = ? and claim is null "
                    + "and next_attempt_at is not null", id) == 1);
        }
        assertThat(statuses(hook), equalTo(java.util.Collections.nCopies(n, "pending")));
        return ids;
    }

    private List<String> deliveries(Api.Hook hook) {
        return acme.request().get("/v2/webhooks/" + hook.id() + "/deliveries").then().statusCode(200).extract()
                .as(Json.Doc.class).at("data.id");
    }

    private List<String> statuses(Api.Hook hook) {
        return acme.request().get("/v2/webhooks/" + hook.id() + "/deliveries").then().statusCode(200).extract()
                .as(Json.Doc.class).at("data.status");
    }

    /** The deliveries that the owner's delivery.exhausted events are about, as the events list shows them. */
    private List<String> noticedDeliveries() {
        List<String> ids = acme.request().queryParam("type", "delivery.exhausted").queryParam("limit", 100)
                .get("/v2/events").then().statusCode(200).extract().as(Json.Doc.class).at("data.id");
        return ids.stream().map(id -> notice(id.substring("evt_exhausted_".length())).at("/data/delivery_id")
                .asText()).toList();
    }

    private JsonNode notice(String delivery) {
        String payload = acme.request().get("/v2/events/evt_exhausted_" + delivery).then().statusCode(200)
                .extract().asString();
        try {
            return JSON.readTree(payload).path("payload");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The deliveries named by the notices that reached the alerts endpoint. */
    private List<String> sent() {
        return Receivers.received(alerts).stream().map(r -> {
            try {
                return JSON.readTree(r.getBodyAsString()).at("/data/delivery_id").asText();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
