package dev.git.webhooks.ops;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.ingest.EventStore;
import dev.git.webhooks.ingest.IncomingEvent;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.subscription.EventTypes;
import dev.git.webhooks.subscription.WebhookEndpoint;
import dev.git.webhooks.subscription.WebhookEndpoints;
import dev.git.webhooks.tracing.TraceParent;

/**
 * {@code ping}: an event made on demand for one endpoint, beside the other endpoint actions, and sent through the
 * same path as any other event (stored with its delivery, handed over at the commit).
 */
@ApplicationScoped
public class Pings {

    /** The ping's delivery and event ids. */
    public record Sent(
            @Schema(example = "dlv_3e28jt97kb6cq643dzvmxx") String deliveryId,
            @Schema(example = "evt_5pz2vkq8m1xh7c3rdnw9ta") String eventId) {
    }

    private final WebhookEndpoints endpoints;
    private final EventStore store;
    private final ObjectMapper json;
    private final Clock clock;

    public Pings(WebhookEndpoints endpoints, EventStore store, ObjectMapper json, Clock clock) {
        this.endpoints = endpoints;
        this.store = store;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public Sent ping(String owner, String endpointId) {
        WebhookEndpoint endpoint = endpoints.deliverable(owner, endpointId);
        Instant now = clock.instant();
        String eventId = Ids.newId("evt");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", EventTypes.PING);
        payload.put("id", eventId);
        payload.put("timestamp", now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        payload.put("owner", owner);
        payload.put("data", Map.of("webhook_id", endpoint.id, "url", endpoint.url));
        byte[] bytes;
        try {
            bytes = json.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // the API request that asked for the ping is its producer: its attempt continues that request's trace
        IncomingEvent event = new IncomingEvent(eventId, EventTypes.PING, owner, null, now, bytes, null, -1, -1, now,
                TraceParent.current());
        return new Sent(store.storeFor(event, DeliveryJob.Target.of(endpoint)), eventId);
    }
}
