package dev.git.webhooks.operational;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.ingest.EventStore;
import dev.git.webhooks.ingest.IncomingEvent;
import dev.git.webhooks.subscription.EventTypes;

/**
 * Operational notifications: events of the system types ({@code endpoint.disabled}, {@code endpoint.enabled},
 * {@code delivery.exhausted}), made by the service about an owner's own
 * endpoints and deliveries, stored with one delivery to each of the owner's enabled endpoints that subscribed to
 * the type by name, on the caller's connection and in its transaction. The outbox then signs and sends them like
 * any other event. The envelope is the producers' one: {@code event}, {@code id}, {@code timestamp}, {@code owner},
 * {@code data}.
 */
@ApplicationScoped
public class SystemEvents {

    /** One notification to store: its id, type, owner and {@code data}. */
    public record Notice(String id, String type, String owner, Map<String, Object> data) {
    }

    private final ObjectMapper json;
    private final EventStore store;

    public SystemEvents(ObjectMapper json, EventStore store) {
        this.json = json;
        this.store = store;
    }

    /** Stores the notices and their deliveries; answers how many deliveries were stored. */
    public int store(Connection connection, List<Notice> notices, Instant now) throws SQLException {
        if (notices.isEmpty()) {
            return 0;
        }
        Set<String> owners = new TreeSet<>();
        notices.forEach(n -> owners.add(n.owner()));
        List<Subscriber> subscribers = subscribers(connection, owners);
        List<IncomingEvent> events = new ArrayList<>();
        Map<String, List<String>> targets = new HashMap<>();
        for (Notice notice : notices) {
            events.add(new IncomingEvent(notice.id(), notice.type(), notice.owner(), null, now, payload(notice, now),
                    null, -1, -1, now, dev.git.webhooks.tracing.TraceParent.current()));
            targets.put(notice.id(), subscribers.stream()
                    .filter(s -> s.owner().equals(notice.owner()) && s.events().contains(notice.type()))
                    .map(Subscriber::id).toList());
        }
        return store.storeDue(connection, events, targets, now);
    }

    private record Subscriber(String id, String owner, List<String> events) {
    }

    private static List<Subscriber> subscribers(Connection connection, Set<String> owners) throws SQLException {
        List<Subscriber> found = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select id, owner, events from webhook_endpoint
                where owner = any (?) and status = 'enabled' and active and events && ?""")) {
            select.setArray(1, connection.createArrayOf("text", owners.toArray()));
            select.setArray(2, connection.createArrayOf("text", EventTypes.SYSTEM.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(new Subscriber(rows.getString(1), rows.getString(2),
                            Arrays.asList((String[]) rows.getArray(3).getArray())));
                }
            }
        }
        return found;
    }

    private byte[] payload(Notice notice, Instant now) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("event", notice.type());
        envelope.put("id", notice.id());
        envelope.put("timestamp", now.truncatedTo(ChronoUnit.SECONDS).toString());
        envelope.put("owner", notice.owner());
        envelope.put("data", notice.data());
        try {
            return json.writeValueAsString(envelope).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
