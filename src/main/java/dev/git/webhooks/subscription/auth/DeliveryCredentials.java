package dev.git.webhooks.subscription.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What an attempt needs to authenticate itself to an endpoint, as stored (SPEC §13): the OAuth 2.0 settings
 * ({@code auth}, JSON without the secret) and the sealed client secret; the client certificate (PEM) and its sealed
 * key. The delivery side opens the sealed parts when it first needs them; null parts are not configured.
 */
public record DeliveryCredentials(String auth, byte[] authSecret, String authSecretKeyId, String certificate,
        byte[] key, String keyKeyId) {

    public static final DeliveryCredentials NONE = new DeliveryCredentials(null, null, null, null, null, null);

    /** The columns of {@code webhook_endpoint} that make them, in the order of the constructor. */
    public static final List<String> COLUMNS = List.of("auth", "auth_secret_ciphertext", "auth_secret_key_id",
            "tls_client_certificate", "tls_client_key_ciphertext", "tls_client_key_key_id");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The OAuth 2.0 client credentials settings, without the secret. */
    public record OAuth(String tokenUrl, String clientId, String scope, String audience, boolean basic) {
    }

    /** NONE when nothing is configured, so that most targets share one instance. */
    public static DeliveryCredentials of(String auth, byte[] authSecret, String authSecretKeyId, String certificate,
            byte[] key, String keyKeyId) {
        return auth == null && certificate == null ? NONE
                : new DeliveryCredentials(auth, authSecret, authSecretKeyId, certificate, key, keyKeyId);
    }

    public boolean hasOAuth() {
        return auth != null && authSecret != null;
    }

    public boolean hasClientCertificate() {
        return certificate != null && key != null;
    }

    public OAuth oauth() {
        JsonNode node = parse(auth);
        return new OAuth(node.path("token_url").asText(), node.path("client_id").asText(), text(node, "scope"),
                text(node, "audience"), !"body".equals(node.path("client_authentication").asText()));
    }

    /** A stored setting's text, or null when it is absent. */
    static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    static JsonNode parse(String stored) {
        try {
            return JSON.readTree(stored);
        } catch (IOException e) {
            throw new UncheckedIOException("stored auth is not JSON", e);
        }
    }
}
