package dev.git.webhooks.delivery.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.git.webhooks.subscription.address.HostResolver;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Attempts;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.ScriptedResolver;
import dev.git.webhooks.testing.TestCertificates;
import dev.git.webhooks.testing.TlsReceiver;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * HTTPS deliveries. The endpoint's name resolves (through a scripted resolver) to 127.0.0.1: the connection goes
 * to that vetted address, while SNI and the certificate check use the name. The service trusts the test CA through
 * {@code webhooks.delivery.trust-store} (set by the test infrastructure), on top of the JVM's CAs.
 */
@QuarkusTest
class HttpsDeliveryTest {

    private static final String NAME = "hooks.tls.example.test";

    private final ScriptedResolver resolver = new ScriptedResolver().answer(NAME, "127.0.0.1");
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
    void deliversOverHttpsToACertificateOfATrustedCaForTheName() {
        WireMockServer https = https(TestCertificates.signedByTestCa(NAME));
        try {
            https.stubFor(post("/tls").willReturn(aResponse().withStatus(200).withBody("ok")));
            String id = hook("https://" + NAME + ":" + https.httpsPort() + "/tls");
            publish();
            await().atMost(Duration.ofSeconds(10)).until(() -> https.getAllServeEvents().size() == 1);
            assertThat(https.getAllServeEvents().get(0).getRequest().getHeader("Host"),
                    equalTo(NAME + ":" + https.httpsPort()));
            assertThat(https.getAllServeEvents().get(0).getRequest().isBrowserProxyRequest(), equalTo(false));
            Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
            assertThat(attempt.get("response_status"), equalTo(200));
            assertThat(attempt.get("error_class"), nullValue());
        } finally {
            https.stop();
        }
    }

    @Test
    void sendsTheNameAsSni() throws Exception {
        try (TlsReceiver receiver = new TlsReceiver(TestCertificates.signedByTestCa(NAME))) {
            String id = hook("https://" + NAME + ":" + receiver.port() + "/sni");
            publish();
            Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
            assertThat(attempt.get("response_status"), equalTo(204));
            assertThat(receiver.serverNames(), hasItem(NAME));
        }
    }

    /**
     * A connection that is ready only after the attempt timed out (its TLS handshake answered late, within the
     * connect timeout, 3 s against the attempt's 2 s in tests) carries no request: the attempt is over, recorded as a
     * timeout, and a request sent then would be a delivery the service holds for failed, sent again later.
     */
    @Test
    void sendsNothingOnAConnectionReadyAfterTheAttemptTimedOut() throws Exception {
        // the handshake starts 2.4 s after the connection: between the attempt's timeout and the connect timeout
        try (TlsReceiver receiver = new TlsReceiver(TestCertificates.signedByTestCa(NAME), Duration.ofMillis(2_400))) {
            String id = hook("https://" + NAME + ":" + receiver.port() + "/late");
            publish();
            Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
            owner.request().delete("/v2/webhooks/" + id).then().statusCode(204); // no retry meanwhile
            // on a host too busy for the window (the timer fired late, or the handshake ended past the connect
            // timeout), the case did not happen: nothing to judge
            org.junit.jupiter.api.Assumptions.assumeTrue("timeout".equals(attempt.get("error_class")),
                    "the attempt timed out before the connection was ready");
            await("and no request follows the late handshake").during(Duration.ofMillis(1_500))
                    .atMost(Duration.ofSeconds(3)).until(() -> receiver.requests() == 0);
            org.junit.jupiter.api.Assumptions.assumeTrue(receiver.handshakes() > 0,
                    "the connection became ready after the timeout");
        }
    }

    @Test
    void refusesACertificateForAnotherName() throws Exception {
        assertTlsFailure(TestCertificates.signedByTestCa("other.tls.example.test"));
    }

    @Test
    void checksTheNameNotThePinnedAddress() throws Exception {
        // Valid for the address the socket goes to, but the URL names a host: the name must match.
        assertTlsFailure(TestCertificates.signedByTestCa("127.0.0.1"));
    }

    @Test
    void refusesASelfSignedCertificate() throws Exception {
        assertTlsFailure(TestCertificates.selfSigned(NAME));
    }

    private void assertTlsFailure(Path keyStore) throws Exception {
        try (TlsReceiver receiver = new TlsReceiver(keyStore)) {
            String id = hook("https://" + NAME + ":" + receiver.port() + "/refused");
            publish();
            Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
            assertThat(attempt.get("error_class"), equalTo("tls_error"));
            assertThat(attempt.get("response_status"), nullValue());
            assertThat("no request was sent over a connection that failed its check", receiver.requests(),
                    equalTo(0));
        }
    }

    private static WireMockServer https(Path keyStore) {
        WireMockServer server = new WireMockServer(TestCertificates.httpsReceiver(keyStore));
        server.start();
        return server;
    }

    private String hook(String url) {
        return Api.createWebhook(owner, Map.of("url", url, "events", List.of("*")));
    }

    private void publish() {
        Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null));
    }
}
