package dev.git.webhooks.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import dev.git.webhooks.outbox.Delivery;
import dev.git.webhooks.subscription.SecretCipher;
import dev.git.webhooks.subscription.WebhookEndpoint;
import dev.git.webhooks.verify.WebhookVerificationException;
import dev.git.webhooks.verify.WebhookVerifier;
import io.quarkus.arc.profile.IfBuildProfile;

/**
 * Dev mode only: plays a customer's endpoint at {@code /dev/receiver}. It checks both signatures of each delivery
 * with the receivers' verifier, logs it, and lists the last few on GET.
 */
@IfBuildProfile("dev")
@Path("/dev/receiver")
public class DevReceiver {

    private static final Logger LOG = Logger.getLogger(DevReceiver.class);
    private static final int KEPT = 20;
    private static final List<String> HEADERS = List.of("X-Webhook-Event", "X-Webhook-Delivery",
            "X-Webhook-Attempt", "webhook-id", "webhook-timestamp", "X-Signature-256", "webhook-signature");

    private final Deque<Map<String, Object>> received = new ArrayDeque<>();
    private final SecretCipher cipher;

    public DevReceiver(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** Plays the customer's endpoint: verifies each delivery's signatures, logs it and keeps the last few. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Transactional
    public Response receive(byte[] raw, HttpHeaders headers) {
        Map<String, Object> delivery = new LinkedHashMap<>();
        Map<String, String> sent = new LinkedHashMap<>();
        for (String name : HEADERS) {
            delivery.put(name, headers.getHeaderString(name));
            sent.put(name, headers.getHeaderString(name));
        }
        String body = new String(raw, StandardCharsets.UTF_8);
        delivery.put("body", body);
        String verdict = verify(raw, sent);
        delivery.put("signatures", verdict);
        LOG.infof("Received %s delivery %s (attempt %s), signatures %s: %s", delivery.get("X-Webhook-Event"),
                delivery.get("X-Webhook-Delivery"), delivery.get("X-Webhook-Attempt"), verdict, body);
        synchronized (received) {
            received.addFirst(delivery);
            while (received.size() > KEPT) {
                received.removeLast();
            }
        }
        return Response.noContent().build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> lastReceived() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    /** Checks both signatures with the endpoint's secrets, as a customer would with our verifier. */
    private String verify(byte[] body, Map<String, String> headers) {
        Delivery delivery = Delivery.findById(String.valueOf(headers.get("X-Webhook-Delivery")));
        WebhookEndpoint endpoint = delivery == null ? null : WebhookEndpoint.findById(delivery.endpointId);
        if (endpoint == null) {
            return "not checked (unknown delivery)";
        }
        List<String> secrets = new ArrayList<>();
        secrets.add(cipher.open(endpoint.secretCiphertext, endpoint.secretKeyId, endpoint.id));
        if (endpoint.previousSecretCiphertext != null) {
            secrets.add(cipher.open(endpoint.previousSecretCiphertext, endpoint.previousSecretKeyId, endpoint.id));
        }
        WebhookVerifier verifier = WebhookVerifier.of(secrets.toArray(String[]::new));
        try {
            verifier.verifyGithub(body, headers.get("X-Signature-256"));
            verifier.verifyStandard(body, headers.get("webhook-id"), headers.get("webhook-timestamp"),
                    headers.get("webhook-signature"));
            return "verified";
        } catch (WebhookVerificationException e) {
            return "INVALID (" + e.reason() + ": " + e.getMessage() + ")";
        }
    }
}
