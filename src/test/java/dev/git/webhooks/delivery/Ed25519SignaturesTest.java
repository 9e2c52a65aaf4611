package dev.git.webhooks.delivery;

import static dev.git.webhooks.testing.Errors.assertInvalid;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import dev.git.webhooks.subscription.SecretCipher;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Standard Webhooks' asymmetric signatures (SPEC §13): an endpoint with v1a gets an Ed25519 signature in
 * webhook-signature that a receiver checks with the JDK from the public key the API shows, and nothing else.
 */
@QuarkusTest
class Ed25519SignaturesTest {

    @Inject
    SecretCipher cipher;

    private Api.Owner owner;

    @BeforeEach
    void newOwner() {
        owner = Api.newOwner();
    }

    @Test
    void v1aDeliveryVerifiesWithThePublicKeyOfTheViewAndThePrivateKeyIsNeverShown() throws Exception {
        String path = Receivers.newPath();
        DeliveryPipelineTest.stubOk(path);
        Response created = create(path, List.of("v1", "v1a"));
        created.then().statusCode(201).body(Json.at("signature_schemes", contains("v1", "v1a")))
                .body(Json.at("public_key", startsWith("whpk_")));
        String id = Json.at(created, "id");
        String publicKey = owner.request().get("/v2/webhooks/" + id).then().statusCode(200)
                .body(Json.at("public_key", equalTo(Json.at(created, "public_key"))))
                .extract().as(Json.Doc.class).at("public_key");

        String eventId = publish();
        LoggedRequest delivery = DeliveryPipelineTest.awaitOne(path, eventId);
        List<String> entries = List.of(delivery.getHeader("webhook-signature").split(" "));
        assertThat(entries, hasSize(2));
        assertThat(entries.get(0), startsWith("v1,"));
        assertThat(entries.get(1), startsWith("v1a,"));
        assertThat("HMAC too", delivery.getHeader("X-Signature-256"), startsWith("sha256="));
        assertThat(verifies(publicKey, delivery, delivery.getBody()), equalTo(true));
        byte[] tampered = new String(delivery.getBody(), StandardCharsets.UTF_8).replace("\"n\":1", "\"n\":2")
                .getBytes(StandardCharsets.UTF_8);
        assertThat("a tampered body is refused", verifies(publicKey, delivery, tampered), equalTo(false));

        Map<String, Object> row = Db.query("select signing_key_ciphertext, signing_key_key_id from webhook_endpoint "
                + "where id = ?", id).get(0);
        byte[] sealed = (byte[]) row.get("signing_key_ciphertext");
        String secretKey = cipher.open(sealed, (String) row.get("signing_key_key_id"), id);
        assertThat(secretKey, startsWith("whsk_"));
        String seed = secretKey.substring("whsk_".length());
        assertThat("sealed at rest", new String(sealed, StandardCharsets.ISO_8859_1), not(containsString(seed)));
        String deliveryId = (String) DeliveryPipelineTest.delivery(eventId).get("id");
        for (String answer : List.of(created.asString(), owner.request().get("/v2/webhooks/" + id).asString(),
                owner.request().get("/v2/webhooks").asString(),
                owner.request().get("/v2/deliveries/" + deliveryId).asString())) {
            assertThat(answer, not(containsString("whsk_")));
            assertThat(answer, not(containsString(seed)));
        }
        assertThat("the attempt log keeps the signatures sent", owner.request().get("/v2/deliveries/" + deliveryId)
                .path("attempt_log[0].request_headers.webhook-signature"), containsString("v1a,"));
    }

    @Test
    void v1aAloneDropsTheHmacsAndTurningItOffAndOnKeepsThePublicKey() throws Exception {
        String path = Receivers.newPath();
        DeliveryPipelineTest.stubOk(path);
        String id = create(path, null).then().statusCode(201).body(Json.at("signature_schemes", contains("v1")))
                .body(Json.at("public_key", nullValue())).extract().as(Json.Doc.class).at("id");
        String publicKey = patch(id, List.of("v1a")).then().statusCode(200)
                .body(Json.at("signature_schemes", contains("v1a"))).body(Json.at("public_key", startsWith("whpk_")))
                .extract().as(Json.Doc.class).at("public_key");

        LoggedRequest delivery = DeliveryPipelineTest.awaitOne(path, publish());
        assertThat("one v1a entry only", delivery.getHeader("webhook-signature"), startsWith("v1a,"));
        assertThat(delivery.getHeader("webhook-signature").split(" "), org.hamcrest.Matchers.arrayWithSize(1));
        assertThat("no HMAC", delivery.getHeader("X-Signature-256"), nullValue());
        assertThat(verifies(publicKey, delivery, delivery.getBody()), equalTo(true));
        String deliveryId = delivery.getHeader("X-Webhook-Delivery");
        org.awaitility.Awaitility.await("its outcome is written").atMost(java.time.Duration.ofSeconds(10)).until(() -> "delivered".equals(owner
                .request().get("/v2/deliveries/" + deliveryId).path("status")));
        owner.request().get("/v2/deliveries/" + deliveryId).then().statusCode(200)
                .body(Json.at("attempt_log[0].request_headers.webhook-signature",
                        equalTo(delivery.getHeader("webhook-signature"))))
                // none was sent, so the attempt log shows none (not an empty one)
                .body(Json.at("attempt_log[0].request_headers", not(org.hamcrest.Matchers.hasKey("X-Signature-256"))));

        patch(id, List.of("v1")).then().statusCode(200).body(Json.at("public_key", nullValue()));
        LoggedRequest hmacOnly = DeliveryPipelineTest.awaitOne(path, publish());
        assertThat(hmacOnly.getHeader("webhook-signature"), not(containsString("v1a,")));
        assertThat(hmacOnly.getHeader("X-Signature-256"), startsWith("sha256="));
        patch(id, List.of("v1a", "v1")).then().statusCode(200).body(Json.at("signature_schemes", contains("v1", "v1a")))
                .body(Json.at("public_key", equalTo(publicKey)));
    }

    @Test
    void unknownSchemesAreRefused() {
        String url = Receivers.url(Receivers.newPath());
        assertInvalid(create(url, List.of("v2")), "signature_schemes");
        assertInvalid(create(url, List.of()), "signature_schemes");
        assertInvalid(create(url, java.util.Arrays.asList("v1", null)), "signature_schemes");
        String id = Json.at(create(url, null), "id");
        assertInvalid(patch(id, List.of("v1b")), "signature_schemes");
    }

    /** What docs/verifying-webhooks.md tells a Java receiver to do with the endpoint's public_key. */
    static boolean verifies(String whpk, LoggedRequest delivery, byte[] body) throws Exception {
        byte[] raw = Base64.getDecoder().decode(whpk.substring("whpk_".length()));
        byte[] der = HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(raw));
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        String content = delivery.getHeader("webhook-id") + "." + delivery.getHeader("webhook-timestamp") + ".";
        for (String entry : delivery.getHeader("webhook-signature").split(" ")) {
            if (entry.startsWith("v1a,")) {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key);
                verifier.update(content.getBytes(StandardCharsets.UTF_8));
                verifier.update(body);
                if (verifier.verify(Base64.getDecoder().decode(entry.substring(4)))) {
                    return true;
                }
            }
        }
        return false;
    }

    private Response create(String path, List<String> schemes) {
        Map<String, Object> body = new HashMap<>();
        body.put("url", path.startsWith("http") ? path : Receivers.url(path));
        body.put("events", List.of("*"));
        if (schemes != null) {
            body.put("signature_schemes", schemes);
        }
        return owner.request().body(body).post("/v2/webhooks");
    }

    private Response patch(String id, List<String> schemes) {
        return owner.request().body(Map.of("signature_schemes", schemes)).patch("/v2/webhooks/" + id);
    }

    private String publish() {
        String id = Kafka.newEventId();
        Kafka.publish("repo.push", owner.name(), "{\"event\":\"repo.push\",\"id\":\"" + id + "\",\"timestamp\":"
                + "\"2025-01-20T14:35:22Z\",\"owner\":\"" + owner.name() + "\",\"data\":{\"n\":1}}");
        return id;
    }
}
