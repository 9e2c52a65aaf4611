package dev.git.webhooks.delivery.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;

import dev.git.webhooks.subscription.SecretCipher;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Attempts;
import dev.git.webhooks.testing.Console;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Errors;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * OAuth 2.0 client credentials on delivery (SPEC §13), against a WireMock token endpoint: a token is fetched once and
 * reused, fetched again once expired, renewed once on a receiver's 401 (and the attempt sent again); a failing token
 * endpoint fails the attempt with error class {@code auth}, and the delivery is retried. The secret shows nowhere.
 */
@QuarkusTest
class OAuthDeliveryTest {

    private static final String SECRET = "s3cret-Of-The-Client/+=";

    @jakarta.inject.Inject
    SecretCipher cipher;

    private final WireMockServer server = Receivers.server();
    private Api.Owner owner;
    private String tokenPath;
    private String hookPath;

    @BeforeEach
    void setUp() {
        owner = Api.newOwner();
        tokenPath = Receivers.newPath() + "/token";
        hookPath = Receivers.newPath();
    }

    @Test
    void fetchesTheTokenOnceAndSendsItWithEveryDelivery() {
        token(okJson("{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
        receiverAccepts("tok-1");
        String id = hook(Map.of("scope", "webhooks:receive", "audience", "https://hooks.acme.dev"));
        publish();
        publish();
        publish();
        await().atMost(Duration.ofSeconds(15)).until(() -> Receivers.received(hookPath).size() == 3);
        Receivers.received(hookPath).forEach(r -> assertThat(r.getHeader("Authorization"),
                org.hamcrest.Matchers.equalTo("Bearer tok-1")));
        server.verify(1, postRequestedFor(urlEqualTo(tokenPath))
                .withHeader("Authorization", equalTo("Basic " + Base64.getEncoder().encodeToString(
                        ("client-" + owner.name() + ":" + java.net.URLEncoder.encode(SECRET, StandardCharsets.UTF_8))
                                .getBytes(StandardCharsets.UTF_8))))
                .withHeader("Content-Type", WireMock.containing("application/x-www-form-urlencoded"))
                .withRequestBody(equalTo("grant_type=client_credentials&scope=webhooks%3Areceive"
                        + "&audience=https%3A%2F%2Fhooks.acme.dev")));
        assertThat(owner.request().get("/v2/webhooks/" + id).path("auth.audience"),
                org.hamcrest.Matchers.equalTo("https://hooks.acme.dev"));
        Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
        assertThat(attempt.toString(), not(containsString("tok-1")));
    }

    @Test
    void fetchesAnotherTokenOnceTheFirstExpired() {
        token(okJson("{\"access_token\":\"short\",\"expires_in\":0}"));
        receiverAccepts("short");
        hook(Map.of());
        publish();
        await().atMost(Duration.ofSeconds(15)).until(() -> Receivers.received(hookPath).size() == 1);
        publish();
        await().atMost(Duration.ofSeconds(15)).until(() -> Receivers.received(hookPath).size() == 2);
        server.verify(2, postRequestedFor(urlEqualTo(tokenPath)));
    }

    @Test
    void renewsTheTokenOnceOnA401AndSendsTheAttemptAgain() {
        Receivers.firstThen(tokenPath, okJson("{\"access_token\":\"revoked\",\"expires_in\":3600}"),
                okJson("{\"access_token\":\"fresh\",\"expires_in\":3600}"));
        server.stubFor(post(urlEqualTo(hookPath)).willReturn(aResponse().withStatus(401)));
        receiverAccepts("fresh");
        String id = hook(Map.of());
        publish();
        await().atMost(Duration.ofSeconds(15)).until(() -> Receivers.received(hookPath).size() == 2);
        List<Map<String, Object>> attempts = Attempts.ofNewestDelivery(owner, id);
        assertThat(attempts, hasSize(1));
        assertThat(attempts.get(0).get("response_status"), org.hamcrest.Matchers.equalTo(200));
        server.verify(2, postRequestedFor(urlEqualTo(tokenPath)));
    }

    /**
     * The resend after a 401 gets what is left of the attempt's timeout (2 s in tests) from its first request, not a
     * timeout of its own: a 401 after 1.3 s leaves 0.7 s, and an answer that takes 1.3 s again is a timeout. With a
     * timeout of its own the resend would succeed, and the endpoint would have been waited on for 2.6 s.
     */
    @Test
    void theResendAfterA401FitsInTheAttemptsTimeout() {
        Receivers.firstThen(tokenPath, okJson("{\"access_token\":\"revoked\",\"expires_in\":3600}"),
                okJson("{\"access_token\":\"fresh\",\"expires_in\":3600}"));
        server.stubFor(post(urlEqualTo(hookPath)).willReturn(aResponse().withStatus(401).withFixedDelay(1300)));
        server.stubFor(post(urlEqualTo(hookPath)).withHeader("Authorization", equalTo("Bearer fresh"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(1300)));
        String id = hook(Map.of());
        publish();
        await().atMost(Duration.ofSeconds(15)).until(() -> Receivers.received(hookPath).size() >= 2);
        Map<String, Object> first = await().atMost(Duration.ofSeconds(15)).until(
                () -> Attempts.ofNewestDelivery(owner, id).get(0), a -> a.get("response_status") != null
                        || a.get("error_class") != null);
        assertThat("the resend ran out of the attempt's time: " + first, first.get("error_class"),
                org.hamcrest.Matchers.equalTo("timeout"));
    }

    /** A receiver that refuses every token: renewed once, sent once more, and the 401 is the attempt's answer. */
    @Test
    void aReceiverRefusingEveryTokenGetsOneRenewalPerAttemptAndTheAttemptIsItsRefusal() {
        Receivers.firstThen(tokenPath, okJson("{\"access_token\":\"first\",\"expires_in\":3600}"),
                okJson("{\"access_token\":\"second\",\"expires_in\":3600}"));
        server.stubFor(post(urlEqualTo(hookPath)).willReturn(aResponse().withStatus(401)));
        String id = hook(Map.of());
        publish();
        Map<String, Object> first = await().atMost(Duration.ofSeconds(15)).until(
                () -> Attempts.ofNewestDelivery(owner, id).get(0), a -> a.get("response_status") != null);
        assertThat(first.get("response_status"), org.hamcrest.Matchers.equalTo(401));
        List<String> sent = Receivers.received(hookPath).stream().map(r -> r.getHeader("Authorization")).toList();
        assertThat("the attempt's two requests: the token, then the renewed one", sent.subList(0, 2),
                org.hamcrest.Matchers.equalTo(List.of("Bearer first", "Bearer second")));
    }

    /** A token endpoint that redirects is not followed: the attempt fails with auth, its target is asked nothing. */
    @Test
    void aTokenEndpointThatRedirectsIsNotFollowed() {
        String elsewhere = Receivers.newPath() + "/token";
        server.stubFor(post(urlEqualTo(elsewhere)).willReturn(okJson("{\"access_token\":\"t\"}")));
        token(aResponse().withStatus(302).withHeader("Location", Receivers.url(elsewhere)));
        String id = hook(Map.of());
        publish();
        Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
        assertThat(attempt.get("error_class"), org.hamcrest.Matchers.equalTo("auth"));
        assertThat((String) attempt.get("error_message"), containsString("answered HTTP 302"));
        assertThat("the redirect was not followed", Receivers.received(elsewhere), hasSize(0));
        assertThat(Receivers.received(hookPath), hasSize(0));
    }

    @Test
    void aTokenEndpointAnswering500FailsTheAttemptWithAuthAndTheDeliveryIsRetried() {
        Receivers.firstThen(tokenPath, aResponse().withStatus(500).withBody("token service down"),
                okJson("{\"access_token\":\"later\",\"expires_in\":3600}"));
        receiverAccepts("later");
        String id = hook(Map.of());
        publish();
        await().atMost(Duration.ofSeconds(15)).until(() -> Attempts.ofNewestDelivery(owner, id).size() == 2);
        List<Map<String, Object>> attempts = Attempts.ofNewestDelivery(owner, id);
        Map<String, Object> failed = attempts.stream().filter(a -> a.get("error_class") != null).findFirst()
                .orElseThrow();
        assertThat(failed.get("error_class"), org.hamcrest.Matchers.equalTo("auth"));
        assertThat((String) failed.get("error_message"), containsString("HTTP 500"));
        assertThat((String) failed.get("error_message"), containsString("token service down"));
        assertThat(attempts.stream().filter(a -> Integer.valueOf(200).equals(a.get("response_status"))).count(),
                org.hamcrest.Matchers.equalTo(1L));
        assertThat(owner.request().get("/v2/webhooks/" + id + "/deliveries").asString(), not(containsString(SECRET)));
        assertThat(attempts.toString(), not(containsString(SECRET)));
        assertThat(attempts.toString(), not(containsString("later")));
    }

    @Test
    void aTokenEndpointAnsweringGarbageFailsTheAttemptWithAuth() {
        token(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{not json"));
        String id = hook(Map.of());
        publish();
        Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
        assertThat(attempt.get("error_class"), org.hamcrest.Matchers.equalTo("auth"));
        assertThat((String) attempt.get("error_message"), containsString("that are not a JSON object (not quoted"));
        assertThat(attempt.get("response_status"), nullValue());
        assertThat("the receiver got nothing", Receivers.received(hookPath), hasSize(0));
    }

    @Test
    void neverShowsTheClientSecret() {
        Response created = owner.request().body(body(Map.of("audience", "https://hooks.acme.dev")))
                .post("/v2/webhooks");
        created.then().statusCode(201);
        String id = Json.at(created, "id");
        List<String> answers = List.of(created.asString(), owner.request().get("/v2/webhooks/" + id).asString(),
                owner.request().get("/v2/webhooks").asString());
        answers.forEach(answer -> assertThat(answer, not(containsString(SECRET))));
        Response view = owner.request().get("/v2/webhooks/" + id);
        assertThat(Json.at(view, "auth.client_secret_set"), org.hamcrest.Matchers.equalTo(true));
        assertThat(Json.at(view, "auth.client_secret"), nullValue());
        assertThat(Json.at(view, "auth.token_url"), org.hamcrest.Matchers.equalTo(Receivers.url(tokenPath)));
        assertThat(Json.at(view, "auth.client_authentication"), org.hamcrest.Matchers.equalTo("basic"));
        String page = Console.signIn(owner.key()).get("/console/endpoints/" + id).then().statusCode(200).extract()
                .asString();
        assertThat(page, containsString("OAuth 2.0 client credentials"));
        assertThat(page, containsString("audience <span class=\"mono\">https://hooks.acme.dev</span>"));
        assertThat(page, not(containsString(SECRET)));

        // at rest: sealed (AES-GCM with the endpoint's id), nowhere in the row in the clear
        Map<String, Object> row = Db.query("select auth_secret_ciphertext, auth_secret_key_id, "
                + "row_to_json(w)::text as whole from webhook_endpoint w where id = ?", id).get(0);
        byte[] sealed = (byte[]) row.get("auth_secret_ciphertext");
        assertThat("the sealed secret opens to the one given", cipher.open(sealed, (String) row.get(
                "auth_secret_key_id"), id), org.hamcrest.Matchers.equalTo(SECRET));
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1), not(containsString(SECRET)));
        assertThat((String) row.get("whole"), not(containsString(SECRET)));
    }

    @Test
    void refusesATokenUrlOnAPrivateAddress() {
        Map<String, Object> body = body(Map.of());
        body.put("auth", Map.of("type", "oauth2_client_credentials", "token_url", "https://10.1.2.3/token",
                "client_id", "c", "client_secret", SECRET));
        Response refused = Errors.assertInvalid(owner.request().body(body).post("/v2/webhooks"), "auth.token_url");
        assertThat(refused.asString(), containsString("may not reach"));
        assertThat(refused.asString(), not(containsString(SECRET)));
        Errors.assertInvalid(owner.request().body(Map.of("url", Receivers.url(hookPath), "events", List.of("*"),
                "auth", Map.of("type", "basic"))).post("/v2/webhooks"), "auth.client_secret");
        Errors.assertInvalid(owner.request().body(body(Map.of("audience", "https://hooks.acme.dev\n")))
                .post("/v2/webhooks"), "auth.audience");
    }

    private void token(ResponseDefinitionBuilder answer) {
        server.stubFor(post(urlEqualTo(tokenPath)).willReturn(answer));
    }

    private void receiverAccepts(String token) {
        server.stubFor(post(urlEqualTo(hookPath)).withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withStatus(200)));
    }

    private String hook(Map<String, Object> extra) {
        return Api.createWebhook(owner, body(extra));
    }

    private Map<String, Object> body(Map<String, Object> extra) {
        Map<String, Object> auth = new HashMap<>(Map.of("type", "oauth2_client_credentials", "token_url",
                Receivers.url(tokenPath), "client_id", "client-" + owner.name(), "client_secret", SECRET));
        auth.putAll(extra);
        return new HashMap<>(Map.of("url", Receivers.url(hookPath), "events", List.of("*"), "auth", auth));
    }

    private void publish() {
        Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null));
    }
}
