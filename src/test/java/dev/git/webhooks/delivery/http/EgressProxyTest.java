package dev.git.webhooks.delivery.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import dev.git.webhooks.subscription.address.HostResolver;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Attempts;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import dev.git.webhooks.testing.ScriptedResolver;
import dev.git.webhooks.testing.TestCertificates;
import dev.git.webhooks.testing.Tinyproxy;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Egress through the operator's proxy, a real tinyproxy whose access log shows what it was asked. The endpoints'
 * names resolve (scripted) to 127.0.0.1, and the proxy is asked for that vetted address, never the name: it has no
 * way to resolve the names, so a delivery that went by name would fail. The proxy is put in place per test.
 */
@QuarkusTest
class EgressProxyTest {

    private static final String NAME = "hooks.proxied.example.test";
    private static final String REBINDING = "rebinding.proxied.example.test";

    private final ScriptedResolver resolver = new ScriptedResolver().answer(NAME, "127.0.0.1")
            .answers(REBINDING, List.of("127.0.0.1"), List.of("10.0.0.7"));
    private Api.Owner owner;

    @BeforeEach
    void setUp() {
        QuarkusMock.installMockForType(resolver, HostResolver.class);
        owner = Api.newOwner();
    }

    @AfterEach
    void release() {
        resolver.release();
    }

    @Test
    void deliversOverHttpThroughTheProxyToTheVettedAddress() throws Exception {
        try (Tinyproxy proxy = Tinyproxy.start()) {
            QuarkusMock.installMockForType(proxy.egress(), EgressProxy.class);
            String path = Receivers.newPath();
            Receivers.server().stubFor(post(path).willReturn(aResponse().withStatus(204)));
            String id = hook("http://" + NAME + ":" + Receivers.server().port() + path);
            Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null));

            Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
            assertThat(attempt.toString(), attempt.get("response_status"), equalTo(204));
            assertThat(proxy.requests(), hasItem("POST http://127.0.0.1:" + Receivers.server().port() + path));
            assertThat(Receivers.received(path).size(), equalTo(1));
        }
    }

    @Test
    void fetchesAnOAuthTokenThroughTheProxyToo() throws Exception {
        try (Tinyproxy proxy = Tinyproxy.start()) {
            QuarkusMock.installMockForType(proxy.egress(), EgressProxy.class);
            String path = Receivers.newPath();
            String token = path + "/token";
            Receivers.server().stubFor(post(token).willReturn(aResponse().withStatus(200).withHeader("Content-Type",
                    "application/json").withBody("{\"access_token\":\"via-proxy\",\"expires_in\":3600}")));
            Receivers.server().stubFor(post(path).withHeader("Authorization", WireMock.equalTo("Bearer via-proxy"))
                    .willReturn(aResponse().withStatus(204)));
            String base = "http://" + NAME + ":" + Receivers.server().port();
            String id = Api.createWebhook(owner, Map.of("url", base + path, "events", List.of("*"), "auth", Map.of(
                    "type", "oauth2_client_credentials", "token_url", base + token, "client_id", "c",
                    "client_secret", "s")));
            owner.request().post("/v2/webhooks/" + id + "/ping").then().statusCode(202);

            Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
            assertThat(attempt.toString(), attempt.get("response_status"), equalTo(204));
            assertThat("the token request went through the proxy, to the vetted address", proxy.requests(),
                    hasItem("POST http://127.0.0.1:" + Receivers.server().port() + token));
            assertThat(proxy.requests(), hasItem("POST http://127.0.0.1:" + Receivers.server().port() + path));
        }
    }

    @Test
    void pingsOverHttpsThroughAConnectTunnelThatKeepsTheNameForTls() throws Exception {
        WireMockServer https = https(NAME);
        try (Tinyproxy proxy = Tinyproxy.start()) {
            QuarkusMock.installMockForType(proxy.egress(), EgressProxy.class);
            https.stubFor(post("/tls").willReturn(aResponse().withStatus(200)));
            String id = hook("https://" + NAME + ":" + https.httpsPort() + "/tls");
            owner.request().post("/v2/webhooks/" + id + "/ping").then().statusCode(202);

            Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
            assertThat(attempt.toString(), attempt.get("response_status"), equalTo(200));
            assertThat(attempt.get("error_class"), nullValue());
            assertThat(proxy.requests(), hasItem("CONNECT 127.0.0.1:" + https.httpsPort()));
            // TLS ran end to end with the receiver, checked against the name (its certificate is for NAME only)
            assertThat(https.getAllServeEvents().get(0).getRequest().getHeader("Host"),
                    equalTo(NAME + ":" + https.httpsPort()));
        } finally {
            https.stop();
        }
    }

    @Test
    void refusesAPrivateDestinationBehindTheProxy() throws Exception {
        try (Tinyproxy proxy = Tinyproxy.start()) {
            QuarkusMock.installMockForType(proxy.egress(), EgressProxy.class);
            // vetted at create (loopback is allowed in tests), a private address by the time of the attempt
            String id = hook("https://" + REBINDING + "/x");
            owner.request().post("/v2/webhooks/" + id + "/ping").then().statusCode(202);

            Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
            assertThat(attempt.get("error_class"), equalTo("destination_refused"));
            assertThat((String) attempt.get("error_message"), containsString("private"));
            // other tests' retries may pass through this proxy meanwhile: none of its requests is for this one
            assertThat("the proxy was never asked for it", proxy.requests(),
                    everyItem(not(anyOf(containsString("10.0.0.7"), containsString(REBINDING)))));
        }
    }

    @Test
    void aProxyThatIsDownFailsTheAttemptWithTheClassProxy() throws Exception {
        QuarkusMock.installMockForType(new EgressProxy(Optional.of("http://127.0.0.1:" + Tinyproxy.freePort()),
                Optional.empty(), Optional.empty()), EgressProxy.class);
        String id = hook("https://" + NAME + ":8443/down");
        owner.request().post("/v2/webhooks/" + id + "/ping").then().statusCode(202);

        Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
        assertThat(attempt.get("error_class"), equalTo("proxy"));
        assertThat(attempt.get("response_status"), nullValue());
        assertThat((String) attempt.get("error_message"), containsString("through the proxy"));
        assertThat("the proxy's address is not the customer's to learn", (String) attempt.get("error_message"),
                org.hamcrest.Matchers.not(containsString("127.0.0.1")));
    }

    @Test
    void theProxysOwnAnswerToAPlainHttpDeliveryIsTheClassProxyNotTheEndpointsStatus() throws Exception {
        try (Tinyproxy proxy = Tinyproxy.start()) {
            QuarkusMock.installMockForType(proxy.egress(), EgressProxy.class);
            // nothing listens there: tinyproxy answers "500 Unable to connect" itself
            String id = hook("http://" + NAME + ":" + Tinyproxy.freePort() + "/closed");
            owner.request().post("/v2/webhooks/" + id + "/ping").then().statusCode(202);

            Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
            assertThat(attempt.toString(), attempt.get("error_class"), equalTo("proxy"));
            assertThat(attempt.get("response_status"), nullValue());
            assertThat((String) attempt.get("error_message"), containsString("through the proxy: it answered 500"));
        }
    }

    @Test
    void sendsTheProxyCredentialsGivenApartFromItsUrl() throws Exception {
        WireMockServer https = https(NAME);
        try (Tinyproxy proxy = Tinyproxy.withCredentials("egress", "s3cret")) {
            https.stubFor(post("/auth").willReturn(aResponse().withStatus(200)));
            String id = hook("https://" + NAME + ":" + https.httpsPort() + "/auth");

            QuarkusMock.installMockForType(new EgressProxy(Optional.of(proxy.url()), Optional.of("egress"),
                    Optional.of("wrong")), EgressProxy.class);
            owner.request().post("/v2/webhooks/" + id + "/ping").then().statusCode(202);
            assertThat(Attempts.ofNewestDelivery(owner, id).get(0).get("error_class"), equalTo("proxy"));

            QuarkusMock.installMockForType(new EgressProxy(Optional.of(proxy.url()), Optional.of("egress"),
                    Optional.of("s3cret")), EgressProxy.class);
            String second = owner.request().post("/v2/webhooks/" + id + "/ping").then().statusCode(202).extract()
                    .as(Json.Doc.class).at("delivery_id");
            await().atMost(Duration.ofSeconds(15)).until(() -> owner.request().get("/v2/deliveries/" + second)
                    .then().extract().as(Json.Doc.class).at("status").equals("delivered"));
        } finally {
            https.stop();
        }
    }

    private static WireMockServer https(String name) {
        WireMockServer server = new WireMockServer(
                TestCertificates.httpsReceiver(TestCertificates.signedByTestCa(name)));
        server.start();
        return server;
    }

    private String hook(String url) {
        return Api.createWebhook(owner, Map.of("url", url, "events", List.of("*")));
    }
}
