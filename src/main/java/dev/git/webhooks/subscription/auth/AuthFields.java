package dev.git.webhooks.subscription.auth;

import java.net.URI;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.subscription.SecretCipher;
import dev.git.webhooks.subscription.address.DestinationPolicy;
import dev.git.webhooks.subscription.address.DestinationRefusedException;

/**
 * The checks of {@code auth} and {@code tls_client_certificate}, naming each bad field ({@code auth.token_url},
 * {@code tls_client_certificate.private_key}, …), and their stored forms: secrets sealed for the endpoint, as signing
 * secrets are. The token URL passes the same address rules as the endpoint's URL.
 */
public final class AuthFields {

    static final int MAX_CLIENT_ID = 256;
    static final int MAX_SECRET = 1024;
    static final int MAX_SCOPE = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The stored form of {@code auth}: its settings (JSON) and the sealed secret. */
    public record StoredAuth(String settings, SecretCipher.Sealed secret) {
    }

    /** The stored form of {@code tls_client_certificate}: the PEM, the sealed key, and the expiry. */
    public record StoredCertificate(String certificate, SecretCipher.Sealed key, Instant notAfter) {
    }

    private final FieldChecks checks;
    private final DestinationPolicy destinations;

    public AuthFields(FieldChecks checks, DestinationPolicy destinations) {
        this.checks = checks;
        this.destinations = destinations;
    }

    /** {@code auth}, checked; its stored form, or null when it is null or has a problem. */
    public StoredAuth auth(EndpointAuth auth, Function<String, SecretCipher.Sealed> seal) {
        if (auth == null) {
            return null;
        }
        checks.check(EndpointAuth.OAUTH2_CLIENT_CREDENTIALS.equals(auth.type()), "auth.type",
                "must be oauth2_client_credentials");
        String tokenUrl = tokenUrl(auth.tokenUrl());
        checks.check(text(auth.clientId(), MAX_CLIENT_ID), "auth.client_id",
                "is required: printable text of 1 to " + MAX_CLIENT_ID + " characters");
        checks.check(text(auth.clientSecret(), MAX_SECRET), "auth.client_secret",
                "is required: printable text of 1 to " + MAX_SECRET + " characters");
        checks.check(auth.scope() == null || text(auth.scope(), MAX_SCOPE), "auth.scope",
                "must be printable text of 1 to " + MAX_SCOPE + " characters, or null");
        checks.check(auth.audience() == null || text(auth.audience(), MAX_SCOPE), "auth.audience",
                "must be printable text of 1 to " + MAX_SCOPE + " characters, or null");
        String clientAuthentication = auth.clientAuthentication() == null ? "basic" : auth.clientAuthentication();
        checks.check(List.of("basic", "body").contains(clientAuthentication), "auth.client_authentication",
                "must be basic or body");
        if (tokenUrl == null || checks.failed("auth.type") || checks.failed("auth.client_id")
                || checks.failed("auth.client_secret") || checks.failed("auth.scope")
                || checks.failed("auth.audience")
                || checks.failed("auth.client_authentication")) {
            return null;
        }
        ObjectNode settings = JSON.createObjectNode().put("type", auth.type()).put("token_url", tokenUrl)
                .put("client_id", auth.clientId()).put("client_authentication", clientAuthentication);
        if (auth.scope() != null) {
            settings.put("scope", auth.scope());
        }
        if (auth.audience() != null) {
            settings.put("audience", auth.audience());
        }
        return new StoredAuth(settings.toString(), seal.apply(auth.clientSecret()));
    }

    private String tokenUrl(String url) {
        if (url == null) {
            checks.add("auth.token_url", "is required");
            return null;
        }
        try {
            URI checked = destinations.check(url);
            return checked.toString();
        } catch (DestinationRefusedException e) {
            checks.add("auth.token_url", e.getMessage());
            return null;
        }
    }

    /** {@code tls_client_certificate}, checked against {@code now}; its stored form, or null. */
    public StoredCertificate certificate(TlsClientCertificate given, Instant now,
            Function<String, SecretCipher.Sealed> seal) {
        if (given == null) {
            return null;
        }
        List<X509Certificate> chain = Pem.certificates(given.certificate());
        String field = "tls_client_certificate.certificate";
        if (chain.isEmpty()) {
            checks.add(field, "must be one or more PEM certificates (-----BEGIN CERTIFICATE-----), the client's "
                    + "own first");
        } else if (chain.get(0).getNotAfter().toInstant().isBefore(now)) {
            checks.add(field, "has expired (not after " + chain.get(0).getNotAfter().toInstant() + ")");
        }
        StringBuilder problem = new StringBuilder();
        Optional<PrivateKey> key = Pem.privateKey(given.privateKey(), problem);
        if (key.isEmpty()) {
            checks.add("tls_client_certificate.private_key", problem.toString());
        } else if (!chain.isEmpty() && !Pem.matches(chain.get(0), key.get())) {
            checks.add("tls_client_certificate.private_key", "does not belong to the certificate (its public key "
                    + "does not verify what this key signs)");
        }
        if (checks.failed(field) || key.isEmpty() || checks.failed("tls_client_certificate.private_key")) {
            return null;
        }
        return new StoredCertificate(given.certificate().strip() + "\n", seal.apply(given.privateKey()),
                chain.get(0).getNotAfter().toInstant());
    }

    /** The view of stored settings, or null for none. */
    public static EndpointAuthView authView(String stored) {
        if (stored == null) {
            return null;
        }
        JsonNode node = DeliveryCredentials.parse(stored);
        return new EndpointAuthView(node.path("type").asText(), node.path("token_url").asText(),
                node.path("client_id").asText(), DeliveryCredentials.text(node, "scope"),
                DeliveryCredentials.text(node, "audience"), node.path("client_authentication").asText("basic"), true);
    }

    /** The view of a stored certificate, or null for none. */
    public static TlsClientCertificateView certificateView(String pem) {
        if (pem == null) {
            return null;
        }
        X509Certificate certificate = Pem.certificate(pem);
        return new TlsClientCertificateView(certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(), certificate.getNotAfter().toInstant(),
                Pem.fingerprint(certificate));
    }

    private static boolean text(String value, int max) {
        return value != null && !value.isEmpty() && value.length() <= max
                && value.chars().allMatch(c -> c >= 0x20 && c != 0x7f);
    }
}
