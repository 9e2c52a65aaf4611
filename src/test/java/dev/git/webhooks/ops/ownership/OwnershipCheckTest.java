package dev.git.webhooks.ops.ownership;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import dev.git.webhooks.testing.Signing;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The ownership check through the API: a receiver (WireMock) that echoes the challenge, echoes a wrong value,
 * answers 404 or answers too late ({@code webhooks.ops.ownership.timeout} is 1 s in tests). An unverified endpoint
 * gets no events, which a control endpoint of the same owner, without the check, shows were published.
 */
@QuarkusTest
class OwnershipCheckTest {

    private static final String VERIFICATION = "\"event\":\"webhook.verification\"";

    private Api.Owner owner;
    private String control;

    @BeforeEach
    void setUp() {
        owner = Api.newOwner();
        control = Receivers.newPath();
        Receivers.server().stubFor(post(control).willReturn(aResponse().withStatus(204)));
        Api.createWebhook(owner, Map.of("url", Receivers.url(control), "events", List.of("*")));
    }

    @Test
    void anEndpointThatEchoesTheSignedChallengeIsVerifiedAndThenGetsEvents() {
        String path = receiver(echo());
        // a secret static header is a credential for the receiver once its URL is proven: not sent with the challenge
        Response created = owner.request().body(Map.of("url", Receivers.url(path), "events", List.of("*"),
                "verify_ownership", true, "headers", List.of(Map.of("name", "X-Tenant", "value", "acme"),
                        Map.of("name", "X-Api-Key", "value", "k-123", "secret", true))))
                .post("/v2/webhooks").then().statusCode(201).extract().response();
        assertThat(Json.at(created, "ownership.state"), equalTo("pending"));
        assertThat(Json.at(created, "status"), equalTo("disabled"));
        assertThat(Json.at(created, "disabled_reason"), equalTo("unverified"));
        String id = Json.at(created, "id");

        Map<String, Object> ownership = awaitOwnership(id, "verified");
        assertThat(ownership.get("checked_at"), notNullValue());
        assertThat(Json.at(webhook(id), "status"), equalTo("enabled"));
        LoggedRequest challenge = challenges(path).get(0);
        assertThat(challenge.getHeader("webhook-signature"), equalTo(Signing.standard(Json.at(created, "secret"),
                challenge.getHeader("webhook-id"), challenge.getHeader("webhook-timestamp"), challenge.getBody())));
        assertThat(challenge.getHeader("X-Webhook-Event"), equalTo("webhook.verification"));
        assertThat(challenge.getHeader("X-Tenant"), equalTo("acme"));
        assertThat("no secret header to a URL not proven yet", challenge.containsHeader("X-Api-Key"), equalTo(false));

        String event = publish();
        await().atMost(Duration.ofSeconds(15)).until(() -> events(path).size() == 1);
        assertThat(events(path).get(0).getBodyAsString(), containsString(event));
        assertThat("once proven, it gets its secret header", events(path).get(0).getHeader("X-Api-Key"),
                equalTo("k-123"));
    }

    @Test
    void aWrongEchoOrA404FailsTheCheckAndTheEndpointGetsNothing() {
        String wrong = receiver(aResponse().withStatus(200).withBody("{\"challenge\":\"not-the-one\"}"));
        String missing = receiver(aResponse().withStatus(404));
        // a URL that sends back whatever it receives: the challenge's value is in its answer, and proves nothing
        String mirror = receiver(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{{{request.body}}}").withTransformers("response-template"));
        String wrongId = createChecked(wrong);
        String missingId = createChecked(missing);
        String mirrorId = createChecked(mirror);
        assertThat((String) awaitOwnership(mirrorId, "failed").get("error"), containsString("no_echo"));

        assertThat((String) awaitOwnership(wrongId, "failed").get("error"), containsString("no_echo"));
        assertThat((String) awaitOwnership(missingId, "failed").get("error"),
                equalTo("http_status: answered HTTP 404"));
        assertThat(Json.at(webhook(wrongId), "status"), equalTo("disabled"));
        owner.request().post("/v2/webhooks/" + wrongId + "/enable").then().statusCode(409);

        String event = publish();
        await().atMost(Duration.ofSeconds(15)).until(() -> events(control).stream()
                .anyMatch(r -> r.getBodyAsString().contains(event)));
        assertThat(events(wrong), empty());
        assertThat(events(missing), empty());
        assertThat(events(mirror), empty());
        assertThat(deliveries(wrongId), empty());
    }

    @Test
    void aLateAnswerFailsTheCheckAndAskingAgainPassesOnceItIsOnTime() {
        String path = receiver(echo().withFixedDelay(2_500));
        String id = createChecked(path);
        assertThat((String) awaitOwnership(id, "failed").get("error"), containsString("timeout"));

        answerChallenges(path, echo());
        Response asked = owner.request().post("/v2/webhooks/" + id + "/verify-ownership").then().statusCode(202)
                .extract().response();
        assertThat(Json.at(asked, "ownership.state"), equalTo("pending"));
        awaitOwnership(id, "verified");
        assertThat(Json.at(webhook(id), "status"), equalTo("enabled"));
    }

    @Test
    void aFailedCheckIsTriedAgainByItselfAndPassesOnceTheReceiverEchoes() {
        String path = receiver(aResponse().withStatus(503));
        String id = createChecked(path);
        assertThat((String) awaitOwnership(id, "failed").get("error"), containsString("http_status"));

        answerChallenges(path, echo());
        awaitOwnership(id, "verified"); // nobody asked again
        assertThat(Json.at(webhook(id), "status"), equalTo("enabled"));
        assertThat(challenges(path).size(), greaterThanOrEqualTo(2));
    }

    @Test
    void anInstanceThatKnowsNothingOfTheCheckCanNeitherMoveAVerifiedUrlNorEnableAnUnverifiedEndpoint() {
        String path = receiver(echo());
        String id = createChecked(path);
        awaitOwnership(id, "verified");
        // what an instance older than the check writes: the URL alone, then the status alone
        Db.update("update webhook_endpoint set url = ? where id = ?", Receivers.url(Receivers.newPath()), id);
        Response moved = webhook(id);
        // pending, or failed already: nothing answers at the new URL, and checks run every 200 ms here
        assertThat(Json.at(moved, "ownership.state"), org.hamcrest.Matchers.oneOf("pending", "failed"));
        assertThat(Json.at(moved, "status"), equalTo("disabled"));
        assertThat(Json.at(moved, "disabled_reason"), equalTo("unverified"));

        Db.update("update webhook_endpoint set status = 'enabled', disabled_reason = null where id = ?", id);
        assertThat(Json.at(webhook(id), "status"), equalTo("disabled"));
    }

    @Test
    void aNewUrlIsCheckedAgainAndTheEventsItMissedAreRecoveredOnceVerified() {
        String first = receiver(echo());
        String id = createChecked(first);
        awaitOwnership(id, "verified");

        String second = receiver(aResponse().withStatus(404));
        Response moved = owner.request().body(Map.of("url", Receivers.url(second))).patch("/v2/webhooks/" + id)
                .then().statusCode(200).extract().response();
        assertThat(Json.at(moved, "ownership.state"), equalTo("pending"));
        assertThat(Json.at(moved, "status"), equalTo("disabled"));
        awaitOwnership(id, "failed");

        String missed = publish();
        await().atMost(Duration.ofSeconds(15)).until(() -> events(control).stream()
                .anyMatch(r -> r.getBodyAsString().contains(missed)));
        assertThat("not delivered while unverified", deliveries(id), empty());

        answerChallenges(second, echo());
        owner.request().post("/v2/webhooks/" + id + "/verify-ownership").then().statusCode(202);
        awaitOwnership(id, "verified");
        await().atMost(Duration.ofSeconds(20)).until(() -> events(second).size() == 1);
        assertThat("recovered once verified", events(second).get(0).getBodyAsString(), containsString(missed));
        assertThat(events(first), empty());
    }

    @Test
    void verifyOwnershipOfAnEndpointWithoutTheCheckIsAConflict() {
        String id = Api.createWebhook(owner, Map.of("url", Receivers.url(Receivers.newPath()), "events",
                List.of("*")));
        owner.request().post("/v2/webhooks/" + id + "/verify-ownership").then().statusCode(409)
                .body(Json.at("error.code", equalTo("conflict")));
        assertThat(Json.at(webhook(id), "verify_ownership"), equalTo(false));
    }

    @Test
    void verifyOwnershipMustBeTrueOrFalse() {
        Map<String, Object> body = new HashMap<>(Map.of("url", Receivers.url("/x"), "events", List.of("*")));
        body.put("verify_ownership", "yes");
        owner.request().body(body).post("/v2/webhooks").then().statusCode(400)
                .body(Json.at("error.details.fields[0].field", equalTo("verify_ownership")));
    }

    /** The receiver's answer to {@code {"challenge": …}}: the same value back. */
    private static ResponseDefinitionBuilder echo() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"challenge\":\"{{jsonPath request.body '$.challenge'}}\"}")
                .withTransformers("response-template");
    }

    /** A fresh receiver answering the challenge with {@code answer}, and events with 204. */
    private static String receiver(ResponseDefinitionBuilder answer) {
        String path = Receivers.newPath();
        answerChallenges(path, answer);
        Receivers.server().stubFor(post(path).atPriority(5).willReturn(aResponse().withStatus(204)));
        return path;
    }

    /** The receiver at {@code path} answers challenges with {@code answer} from now on. */
    private static void answerChallenges(String path, ResponseDefinitionBuilder answer) {
        Receivers.server().stubFor(post(path).atPriority(1).withRequestBody(containing(VERIFICATION))
                .willReturn(answer));
    }

    private String createChecked(String path) {
        return Api.createWebhook(owner, Map.of("url", Receivers.url(path), "events", List.of("*"),
                "verify_ownership", true));
    }

    private Map<String, Object> awaitOwnership(String id, String state) {
        await().atMost(Duration.ofSeconds(15)).until(() -> state.equals(Json.at(webhook(id), "ownership.state")));
        return Json.at(webhook(id), "ownership");
    }

    private Response webhook(String id) {
        return owner.request().get("/v2/webhooks/" + id).then().statusCode(200).extract().response();
    }

    private List<Object> deliveries(String id) {
        return owner.request().get("/v2/webhooks/" + id + "/deliveries").then().statusCode(200).extract()
                .as(Json.Doc.class).at("data");
    }

    private String publish() {
        String event = Kafka.newEventId();
        Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", event, owner.name(), null));
        return event;
    }

    private static List<LoggedRequest> challenges(String path) {
        return Receivers.received(path).stream().filter(r -> r.getBodyAsString().contains(VERIFICATION)).toList();
    }

    private static List<LoggedRequest> events(String path) {
        return Receivers.received(path).stream().filter(r -> !r.getBodyAsString().contains(VERIFICATION)).toList();
    }
}
