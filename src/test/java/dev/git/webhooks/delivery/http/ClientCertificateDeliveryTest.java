package dev.git.webhooks.delivery.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.git.webhooks.subscription.SecretCipher;
import dev.git.webhooks.subscription.address.HostResolver;
import dev.git.webhooks.subscription.auth.ClientCertificateExpiry;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Attempts;
import dev.git.webhooks.testing.Console;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Errors;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Management;
import dev.git.webhooks.testing.ScriptedResolver;
import dev.git.webhooks.testing.TestCertificates;
import dev.git.webhooks.testing.TestCertificates.ClientPem;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Mutual TLS (SPEC §13): WireMock over HTTPS requires a client certificate of the test CA. An endpoint given one
 * presents it; one without it, or with a certificate the receiver does not trust, fails its attempt with a TLS error.
 * The API shows the certificate's subject and expiry, never the key, and refuses bad PEM naming the field.
 */
@QuarkusTest
class ClientCertificateDeliveryTest {

    private static final String NAME = "mtls.tls.example.test";
    private static WireMockServer https;

    private final ScriptedResolver resolver = new ScriptedResolver().answer(NAME, "127.0.0.1");
    private Api.Owner owner;

    @Inject
    ClientCertificateExpiry expiry;

    @Inject
    SecretCipher cipher;

    @BeforeAll
    static void receiver() {
        https = new WireMockServer(TestCertificates.httpsReceiver(TestCertificates.signedByTestCa(NAME))
                .needClientAuth(true)
                .trustStorePath(TestCertificates.caTrustStore().toString()).trustStoreType("PKCS12")
                .trustStorePassword("changeit"));
        https.start();
        https.stubFor(post("/mtls").willReturn(aResponse().withStatus(200).withBody("ok")));
        // a token endpoint behind the same mutual TLS (RFC 8705), and a receiver that wants its token
        https.stubFor(post("/mtls-token").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"bound\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        https.stubFor(post("/mtls-oauth").withHeader("Authorization",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer bound"))
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        // a receiver behind mutual TLS that echoes an ownership challenge
        https.stubFor(post("/mtls-verify")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"challenge\":\"{{jsonPath request.body '$.challenge'}}\"}")
                        .withTransformers("response-template")));
    }

    @AfterAll
    static void stop() {
        https.stop();
    }

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
    void presentsTheClientCertificateTheReceiverRequires() {
        ClientPem pem = TestCertificates.client("acme-webhooks", true, Instant.now().plus(Duration.ofDays(30)));
        String id = hook(pem);
        publish();
        Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
        assertThat(attempt.toString(), attempt.get("response_status"), equalTo(200));
        assertThat(attempt.get("error_class"), nullValue());

        // the key at rest: sealed with the endpoint's id, nowhere in the row in the clear, never in an answer
        String keyBody = pem.privateKey().lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        Map<String, Object> row = Db.query("select tls_client_key_ciphertext, tls_client_key_key_id, "
                + "row_to_json(w)::text as whole from webhook_endpoint w where id = ?", id).get(0);
        byte[] sealed = (byte[]) row.get("tls_client_key_ciphertext");
        assertThat("the sealed key opens to the one given", cipher.open(sealed, (String) row.get(
                "tls_client_key_key_id"), id), containsString(keyBody));
        assertThat((String) row.get("whole"), not(containsString(keyBody)));
        assertThat(owner.request().get("/v2/webhooks/" + id).asString(), not(containsString(keyBody)));
    }

    @Test
    void presentsTheClientCertificateToATokenEndpointThatRequiresItToo() {
        ClientPem pem = TestCertificates.client("acme-oauth", true, Instant.now().plus(Duration.ofDays(30)));
        Map<String, Object> body = withOAuth(pem, "/mtls-oauth");
        String id = owner.request().body(body).post("/v2/webhooks").then().statusCode(201)
                .extract().as(Json.Doc.class).at("id");
        publish();
        Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
        assertThat(attempt.toString(), attempt.get("response_status"), equalTo(200));
        assertThat(attempt.get("error_class"), nullValue());
        https.verify(1, postRequestedFor(urlEqualTo("/mtls-token")));

        // a new certificate: the cached token may be bound to the old one (RFC 8705), so another is fetched with it
        ClientPem renewed = TestCertificates.client("acme-oauth-renewed", true,
                Instant.now().plus(Duration.ofDays(60)));
        owner.request().body(Map.of("tls_client_certificate", Map.of("certificate", renewed.certificate(),
                "private_key", renewed.privateKey()))).patch("/v2/webhooks/" + id).then().statusCode(200);
        publish();
        await().atMost(Duration.ofSeconds(15)).until(() -> https.countRequestsMatching(
                postRequestedFor(urlEqualTo("/mtls-oauth")).build()).getCount() == 2);
        https.verify(2, postRequestedFor(urlEqualTo("/mtls-token")));
    }

    @Test
    void theOwnershipChallengeIsSentWithTheClientCertificateButNeverWithTheBearerToken() {
        ClientPem pem = TestCertificates.client("acme-verified", true, Instant.now().plus(Duration.ofDays(30)));
        Map<String, Object> body = withOAuth(pem, "/mtls-verify");
        body.put("verify_ownership", true);
        String id = owner.request().body(body).post("/v2/webhooks").then().statusCode(201)
                .extract().as(Json.Doc.class).at("id");
        await().atMost(Duration.ofSeconds(15)).until(() -> !"pending".equals(ownership(id).get("state")));
        assertThat(ownership(id).toString(), ownership(id).get("state"), equalTo("verified")); // TLS needs the cert
        assertThat("a URL still to be proven gets no credential", https.findAll(postRequestedFor(
                urlEqualTo("/mtls-verify"))).get(0).getHeader("Authorization"), nullValue());
    }

    private Map<String, Object> ownership(String id) {
        return owner.request().get("/v2/webhooks/" + id).then().statusCode(200)
                .extract().as(Json.Doc.class).at("ownership");
    }

    @Test
    void failsWithATlsErrorWithoutAClientCertificate() {
        assertRefusedByTheReceiver(hook(null));
    }

    @Test
    void failsWithATlsErrorWithACertificateTheReceiverDoesNotTrust() {
        assertRefusedByTheReceiver(hook(TestCertificates.client("stranger", false,
                Instant.now().plus(Duration.ofDays(30)))));
    }

    @Test
    void showsTheSubjectAndExpiryButNeverTheKey() {
        Instant notAfter = Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        ClientPem pem = TestCertificates.client("shown", true, notAfter);
        String id = hook(pem);
        for (Response answer : List.of(owner.request().get("/v2/webhooks/" + id),
                owner.request().get("/v2/webhooks"))) {
            String text = answer.then().statusCode(200).extract().asString();
            assertThat(text, not(containsString("PRIVATE KEY")));
            assertThat(text, not(containsString(keyBody(pem))));
        }
        Response view = owner.request().get("/v2/webhooks/" + id);
        assertThat(Json.at(view, "tls_client_certificate.subject"), containsString("CN=shown"));
        assertThat(Instant.parse(Json.at(view, "tls_client_certificate.not_after")), equalTo(notAfter));
        assertThat(((String) Json.at(view, "tls_client_certificate.fingerprint_sha256")).length(), equalTo(64));

        String page = Console.signIn(owner.key()).get("/console/endpoints/" + id).then().statusCode(200).extract()
                .asString();
        assertThat(page, containsString("id=\"endpoint-client-certificate\""));
        assertThat(page, containsString("CN=shown"));
        assertThat(page, not(containsString("PRIVATE KEY")));

        String series = "webhooks_endpoint_client_certificate_expiry_timestamp_seconds{webhook_id=\"" + id + "\"} ";
        // refreshed here until a refresh begun after the change is the one shown (the scheduled one, every minute,
        // may have begun before it and end after this one)
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
            expiry.refresh();
            return Management.metrics().contains(series + (double) notAfter.getEpochSecond());
        });
        // paused, the endpoint sends nothing with its certificate: no series to keep the expiry alert on
        owner.request().body(Map.of("active", false)).patch("/v2/webhooks/" + id).then().statusCode(200);
        await("the paused endpoint's series is gone").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    expiry.refresh();
                    return !Management.metrics().contains(series);
                });
        owner.request().body(Map.of("active", true)).patch("/v2/webhooks/" + id).then().statusCode(200);

        Map<String, Object> remove = new HashMap<>();
        remove.put("tls_client_certificate", null);
        owner.request().body(remove).patch("/v2/webhooks/" + id).then().statusCode(200);
        assertThat(owner.request().get("/v2/webhooks/" + id).path("tls_client_certificate"), nullValue());
    }

    @Test
    void refusesBadPemAMismatchedKeyAndAnExpiredCertificateNamingTheField() {
        ClientPem good = TestCertificates.client("good", true, Instant.now().plus(Duration.ofDays(30)));
        ClientPem other = TestCertificates.client("other", true, Instant.now().plus(Duration.ofDays(30)));
        ClientPem expired = TestCertificates.client("old", true, Instant.now().minus(Duration.ofDays(1)));
        Errors.assertInvalid(create(new ClientPem("not a certificate", good.privateKey())),
                "tls_client_certificate.certificate");
        Errors.assertInvalid(create(new ClientPem(good.certificate(), "-----BEGIN PRIVATE KEY-----\nnope\n"
                + "-----END PRIVATE KEY-----\n")), "tls_client_certificate.private_key");
        Response mismatched = Errors.assertInvalid(create(new ClientPem(good.certificate(), other.privateKey())),
                "tls_client_certificate.private_key");
        assertThat(mismatched.asString(), containsString("does not belong to the certificate"));
        Response old = Errors.assertInvalid(create(expired), "tls_client_certificate.certificate");
        assertThat(old.asString(), containsString("has expired"));
        assertThat(old.asString(), not(containsString("PRIVATE KEY")));
    }

    private void assertRefusedByTheReceiver(String id) {
        publish();
        await().atMost(Duration.ofSeconds(15)).until(() -> Attempts.ofNewestDelivery(owner, id).get(0)
                .get("error_class") != null);
        Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
        assertThat(attempt.toString(), attempt.get("error_class"), equalTo("tls_error"));
        assertThat(attempt.get("response_status"), nullValue());
    }

    private Response create(ClientPem pem) {
        return owner.request().body(body(pem)).post("/v2/webhooks");
    }

    private String hook(ClientPem pem) {
        return create(pem).then().statusCode(201).extract().as(Json.Doc.class).at("id");
    }

    private Map<String, Object> body(ClientPem pem) {
        Map<String, Object> body = new HashMap<>(Map.of("url", "https://" + NAME + ":" + https.httpsPort() + "/mtls",
                "events", List.of("*")));
        if (pem != null) {
            body.put("tls_client_certificate", Map.of("certificate", pem.certificate(),
                    "private_key", pem.privateKey()));
        }
        return body;
    }

    /** {@link #body} at {@code path}, with OAuth 2.0 client credentials from the token endpoint behind mutual TLS. */
    private Map<String, Object> withOAuth(ClientPem pem, String path) {
        Map<String, Object> body = body(pem);
        body.put("url", "https://" + NAME + ":" + https.httpsPort() + path);
        body.put("auth", Map.of("type", "oauth2_client_credentials", "token_url", "https://" + NAME + ":"
                + https.httpsPort() + "/mtls-token", "client_id", "acme", "client_secret", "s3cret"));
        return body;
    }

    private static String keyBody(ClientPem pem) {
        return pem.privateKey().lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    }

    private void publish() {
        Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null));
    }
}
