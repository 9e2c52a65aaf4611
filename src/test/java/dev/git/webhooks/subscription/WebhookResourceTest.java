package dev.git.webhooks.subscription;

import static dev.git.webhooks.testing.Errors.assertError;
import static dev.git.webhooks.testing.Errors.assertInvalid;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class WebhookResourceTest {

    private static final String URL = "http://127.0.0.1:9/hooks";

    @Inject
    DataSource dataSource;

    private Api.Owner owner;

    @BeforeEach
    void newOwner() {
        owner = Api.newOwner();
    }

    @Test
    void createsAnEndpointAndShowsTheSecretOnce() {
        Response created = owner.request().body(Map.of("url", URL, "events", List.of("repo.push", "pr.merged"),
                "repos", List.of(owner.name() + "/api"), "description", "CI hook")).post("/v2/webhooks");
        created.then().statusCode(201)
                .body(Json.at("id", startsWith("wh_")))
                .body(Json.at("url", equalTo(URL)))
                .body(Json.at("events", equalTo(List.of("repo.push", "pr.merged"))))
                .body(Json.at("repos", equalTo(List.of(owner.name() + "/api"))))
                .body(Json.at("description", equalTo("CI hook")))
                .body(Json.at("active", equalTo(true)))
                .body(Json.at("status", equalTo("enabled")))
                .body(Json.at("disabled_reason", nullValue()))
                .body(Json.at("secret", matchesPattern("whsec_[A-Za-z0-9+/]{43}=")))
                .body(Json.at("created_at", notNullValue()));
        String id = Json.at(created, "id");
        owner.request().get("/v2/webhooks/" + id).then().statusCode(200)
                .body(Json.at("id", equalTo(id))).body(Json.at("secret", nullValue()))
                .body(Json.at("events[1]", equalTo("pr.merged")));
    }

    @Test
    void keepsSigningSecretsEncryptedAtRest() throws Exception {
        String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String id = owner.request().body(Map.of("url", URL, "events", List.of("*"), "secret", secret))
                .post("/v2/webhooks").then().statusCode(201)
                .body(Json.at("secret", equalTo(secret))).extract().as(Json.Doc.class).at("id");
        try (var connection = dataSource.getConnection(); var statement = connection.prepareStatement(
                "select secret_ciphertext, secret_key_id from webhook_endpoint where id = ?")) {
            statement.setString(1, id);
            var rows = statement.executeQuery();
            rows.next();
            String stored = new String(rows.getBytes(1), StandardCharsets.ISO_8859_1);
            assertThat(stored, not(org.hamcrest.Matchers.containsString(secret.substring(6, 20))));
            assertThat(rows.getString(2), startsWith("k"));
        }
    }

    @Test
    void refusesInvalidFields() {
        assertInvalid(create(Map.of("events", List.of("*"))), "url");
        assertInvalid(create(Map.of("url", "ftp://127.0.0.1/x", "events", List.of("*"))), "url");
        assertInvalid(create(Map.of("url", "not a url", "events", List.of("*"))), "url");
        // a field's own constraint and the service's checks of another, named in one answer
        Response both = create(Map.of("url", "ftp://127.0.0.1/x", "events", List.of("*"), "max_concurrency", 0));
        assertInvalid(both, "url");
        assertInvalid(both, "max_concurrency");
        assertInvalid(create(Map.of("url", "http://user:pw@127.0.0.1/x", "events", List.of("*"))), "url");
        assertInvalid(create(Map.of("url", URL)), "events");
        assertInvalid(create(Map.of("url", URL, "events", List.of())), "events");
        assertInvalid(create(Map.of("url", URL, "events", List.of("repo.pull"))), "events");
        assertInvalid(create(Map.of("url", URL, "events", List.of("*", "repo.push"))), "events");
        assertInvalid(create(Map.of("url", URL, "events", "repo.push")), "events");
        assertInvalid(create(Map.of("url", URL, "events", List.of("*"), "repos", List.of("no-slash"))), "repos");
        assertInvalid(create(Map.of("url", URL, "events", List.of("*"), "repos", List.of("other/repo"))), "repos");
        // [] would match no event: refused, where null stands for every repository
        assertInvalid(create(Map.of("url", URL, "events", List.of("*"), "repos", List.of())), "repos");
        assertInvalid(create(Map.of("url", URL, "events", List.of("*"), "description", "x".repeat(501))),
                "description");
        assertInvalid(create(Map.of("url", URL, "events", List.of("*"), "active", "yes")), "active");
        assertInvalid(create(Map.of("url", URL, "events", List.of("*"), "secret", "plain")), "secret");
        assertInvalid(create(Map.of("url", URL, "events", List.of("*"), "secret", "whsec_c2hvcnQ=")), "secret");
        assertInvalid(create(Map.of("url", URL, "events", List.of("*"), "secret", "whsec_***")), "secret");
        Response many = create(Map.of("url", "gopher://x", "events", List.of("nope")));
        assertInvalid(many, "url");
        assertInvalid(many, "events");
    }

    @Test
    void refusesUrlsThatReachInternalAddresses() {
        for (String url : List.of("http://10.0.0.1/x", "http://192.168.1.10/x", "http://172.16.5.4/x",
                "http://169.254.169.254/latest/meta-data", "http://100.64.0.1/x", "http://0.0.0.0/x",
                "http://224.0.0.1/x", "http://[fd00::1]/x", "http://[fe80::1]/x", "http://[::ffff:10.0.0.1]/x",
                "http://[::ffff:a9fe:a9fe]/x", "http://[64:ff9b::a00:1]/x", "http://0251.0376.0251.0376/x",
                "http://0xa9.0xfe.0xa9.0xfe/x", "http://0xa9fea9fe/x", "http://metadata.google.internal/x",
                "https://[::]/x")) {
            Response refused = create(Map.of("url", url, "events", List.of("*")));
            assertInvalid(refused, "url");
            // The address policy refused it (not the URL parser): the message says what the address is.
            assertThat(url, Json.at(refused, "error.details.fields[0].message"),
                    containsString("address, which webhooks may not reach"));
        }
    }

    @Test
    void refusesPortsOutsideOneTo65535() {
        for (String url : List.of("http://127.0.0.1:0/x", "http://127.0.0.1:65536/x", "http://127.0.0.1:99999999/x",
                "http://[::1]:0/x")) {
            Response refused = assertInvalid(create(Map.of("url", url, "events", List.of("*"))), "url");
            assertThat(url, Json.at(refused, "error.details.fields[0].message"),
                    containsString("a port must be from 1 to 65535"));
        }
        String id = Api.createWebhook(owner, Map.of("url", "http://127.0.0.1:65535/x", "events", List.of("*")));
        assertInvalid(owner.request().body(Map.of("url", "http://127.0.0.1:0/x")).patch("/v2/webhooks/" + id), "url");
        owner.request().get("/v2/webhooks/" + id).then().body(Json.at("url", equalTo("http://127.0.0.1:65535/x")));
    }

    @Test
    void theStoredSecretOpensWithTheConfiguredKeyAndOnlyUntampered() throws Exception {
        String secret = "whsec_" + java.util.Base64.getEncoder()
                .encodeToString(dev.git.webhooks.common.Ids.randomBytes(32));
        String id = owner.request().body(Map.of("url", URL, "events", List.of("*"), "secret", secret))
                .post("/v2/webhooks").then().statusCode(201)
                .body(Json.at("secret", equalTo(secret))).extract().as(Json.Doc.class).at("id");
        byte[] stored = (byte[]) Db.query("select secret_ciphertext from webhook_endpoint where id = ?", id).get(0)
                .get("secret_ciphertext");
        assertThat("not the plaintext", new String(stored, StandardCharsets.ISO_8859_1),
                not(containsString(secret.substring(6))));
        // Decrypted independently, from the documented format: nonce(12) ‖ ciphertext ‖ tag(16), AAD = endpoint id.
        assertThat(openWithTestKey(stored, id), equalTo(secret));
        byte[] tampered = stored.clone();
        tampered[tampered.length - 20] ^= 1;
        assertThrows(javax.crypto.AEADBadTagException.class, () -> openWithTestKey(tampered, id));
        assertThrows(javax.crypto.AEADBadTagException.class, () -> openWithTestKey(stored, "wh_another"));
    }

    /** The encryption key of the test profile (application.properties). */
    private static String openWithTestKey(byte[] sealed, String endpointId) throws Exception {
        byte[] key = java.util.Base64.getDecoder().decode("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, sealed, 0, 12));
        cipher.updateAAD(endpointId.getBytes(StandardCharsets.UTF_8));
        return new String(cipher.doFinal(sealed, 12, sealed.length - 12), StandardCharsets.UTF_8);
    }

    @Test
    void updatesOnlyTheFieldsGiven() {
        String id = Api.createWebhook(owner, Map.of("url", URL, "events", List.of("repo.push"),
                "repos", List.of(owner.name() + "/a"), "description", "d"));
        owner.request().body(Map.of("events", List.of("deploy.success", "deploy.failed")))
                .patch("/v2/webhooks/" + id).then().statusCode(200)
                .body(Json.at("events", equalTo(List.of("deploy.success", "deploy.failed"))))
                .body(Json.at("url", equalTo(URL))).body(Json.at("description", equalTo("d")))
                .body(Json.at("repos", equalTo(List.of(owner.name() + "/a"))));
        Map<String, Object> clear = new HashMap<>();
        clear.put("repos", null);
        clear.put("active", false);
        clear.put("url", "http://127.0.0.1:10/other");
        owner.request().body(clear).patch("/v2/webhooks/" + id).then().statusCode(200)
                .body(Json.at("repos", nullValue())).body(Json.at("active", equalTo(false)))
                .body(Json.at("url", equalTo("http://127.0.0.1:10/other")));
        assertInvalid(owner.request().body(Map.of("url", "http://10.1.1.1/")).patch("/v2/webhooks/" + id), "url");
        assertInvalid(owner.request().body(Map.of("secret", "whsec_x")).patch("/v2/webhooks/" + id), "secret");
        assertInvalid(owner.request().body(Map.of("events", List.of())).patch("/v2/webhooks/" + id), "events");
        assertInvalid(owner.request().body(Map.of("repos", List.of())).patch("/v2/webhooks/" + id), "repos");
        owner.request().get("/v2/webhooks/" + id).then().body(Json.at("url", equalTo("http://127.0.0.1:10/other")));
    }

    @Test
    void deletesAnEndpoint() {
        String id = Api.createWebhook(owner, Map.of("url", URL, "events", List.of("*")));
        owner.request().delete("/v2/webhooks/" + id).then().statusCode(204);
        assertError(owner.request().get("/v2/webhooks/" + id), 404, "not_found");
        assertError(owner.request().delete("/v2/webhooks/" + id), 404, "not_found");
    }

    @Test
    void rotatesTheSecretWithAGracePeriod() {
        Response created = owner.request().body(Map.of("url", URL, "events", List.of("*"))).post("/v2/webhooks");
        String id = Json.at(created, "id");
        Response rotated = owner.request().body(Map.of("grace_period_seconds", 3600))
                .post("/v2/webhooks/" + id + "/rotate-secret");
        rotated.then().statusCode(200).body(Json.at("secret", startsWith("whsec_")))
                .body(Json.at("previous_secret_expires_at", notNullValue()));
        assertThat(Json.at(rotated, "secret"), not(equalTo(Json.at(created, "secret"))));
        owner.request().post("/v2/webhooks/" + id + "/rotate-secret").then().statusCode(200)
                .body(Json.at("secret", startsWith("whsec_")));
        assertInvalid(owner.request().body(Map.of("grace_period_seconds", -1))
                .post("/v2/webhooks/" + id + "/rotate-secret"), "grace_period_seconds");
        assertInvalid(owner.request().body(Map.of("grace_period_seconds", 999_999_999))
                .post("/v2/webhooks/" + id + "/rotate-secret"), "grace_period_seconds");
    }

    @Test
    void rotatesToAGivenSecretAndRefusesOneOfTheWrongFormat() {
        String id = Api.createWebhook(owner, Map.of("url", URL, "events", List.of("*")));
        String given = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[48]);
        owner.request().body(Map.of("secret", given)).post("/v2/webhooks/" + id + "/rotate-secret").then()
                .statusCode(200).body(Json.at("secret", equalTo(given)))
                .body(Json.at("previous_secret_expires_at", notNullValue()));
        String rotate = "/v2/webhooks/" + id + "/rotate-secret";
        assertInvalid(owner.request().body(Map.of("secret", "plain")).post(rotate), "secret");
        assertInvalid(owner.request().body(Map.of("secret", 42)).post(rotate), "secret");
        assertInvalid(owner.request().body(Map.of("secret", "whsec_***")).post(rotate), "secret");
        assertInvalid(owner.request().body(Map.of("secret", "whsec_" + java.util.Base64.getEncoder()
                .encodeToString(new byte[23]))).post(rotate), "secret");
        assertInvalid(owner.request().body(Map.of("secret", "whsec_" + java.util.Base64.getEncoder()
                .encodeToString(new byte[65]))).post(rotate), "secret");
        assertInvalid(owner.request().body(Map.of("secret", "whsec_" + java.util.Base64.getEncoder()
                .withoutPadding().encodeToString(new byte[32]))).post(rotate), "secret");
        assertInvalid(owner.request().body(Map.of("secret", given, "grace_period_seconds", -1)).post(rotate),
                "grace_period_seconds");
    }

    @Test
    void anotherOwnersEndpointIsNotFound() {
        String id = Api.createWebhook(owner, Map.of("url", URL, "events", List.of("*")));
        Api.Owner stranger = Api.newOwner();
        assertError(stranger.request().get("/v2/webhooks/" + id), 404, "not_found");
        assertError(stranger.request().body(Map.of("active", false)).patch("/v2/webhooks/" + id), 404, "not_found");
        assertError(stranger.request().delete("/v2/webhooks/" + id), 404, "not_found");
        assertError(stranger.request().post("/v2/webhooks/" + id + "/rotate-secret"), 404, "not_found");
        stranger.request().get("/v2/webhooks").then().statusCode(200).body(Json.at("data.id", not(org.hamcrest.Matchers
                .hasItem(id))));
        owner.request().get("/v2/webhooks/" + id).then().statusCode(200).body(Json.at("active", equalTo(true)));
    }

    private Response create(Map<String, Object> body) {
        return owner.request().body(body).post("/v2/webhooks");
    }
}
