package dev.git.webhooks.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.outbox.Columns;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.NewDelivery;
import dev.git.webhooks.outbox.OutboxException;
import dev.git.webhooks.delivery.Handoff;
import dev.git.webhooks.subscription.DeliveryControls;

/**
 * Stores a polled batch of events and fans each new one out to the matching enabled endpoints of its owner, in
 * one transaction. An event id seen before inserts nothing and fans out nothing. The deliveries go through
 * {@link Handoff}: the engine gets those it sends at the commit, the others wait in the queue for their endpoints'
 * owners.
 */
@ApplicationScoped
public class EventStore {

    /**
     * What a batch did: the deliveries claimed by this instance (its engine gets them at the commit), how many went
     * to the queue instead, which events were new, and the records ({@link IncomingEvent#source()}) whose event id was
     * stored before with other bytes.
     */
    public record Stored(List<DeliveryJob> jobs, int queued, Set<String> newEventIds, int duplicates,
            Set<String> conflicts) {
    }

    private final DataSource dataSource;
    private final Handoff handoff;
    private final Clock clock;

    public EventStore(DataSource dataSource, Handoff handoff, Clock clock) {
        this.dataSource = dataSource;
        this.handoff = handoff;
        this.clock = clock;
    }

    /** Stores the events and their deliveries. */
    @Transactional
    public Stored store(List<IncomingEvent> events) {
        Instant now = clock.instant();
        long opened = handoff.opening(now); // the deliveries' creation time, before the waits below (locks)
        try (Connection connection = dataSource.getConnection()) {
            List<IncomingEvent> fresh = insertEvents(connection, events, now);
            Set<String> owners = new LinkedHashSet<>();
            fresh.forEach(e -> owners.add(e.owner()));
            List<Subscriptions.Subscriber> subscribers = Subscriptions.lockedFor(connection, owners);
            List<NewDelivery> deliveries = new ArrayList<>();
            for (IncomingEvent event : fresh) {
                JsonNode[] json = {event.json()}; // as validated; else read once, only if a filter needs it
                Supplier<JsonNode> read = () -> json[0] != null ? json[0]
                        : (json[0] = DeliveryControls.event(event.payload()));
                for (Subscriptions.Subscriber s : subscribers) {
                    if (s.takes(event, read)) {
                        deliveries.add(s.orderKey() == null ? delivery(event, s.id(), s.target(), null, now)
                                : ordered(event, s, read, now));
                    }
                }
            }
            List<DeliveryJob> jobs = handoff.insert(connection, deliveries, now, opened);
            Set<String> ids = new LinkedHashSet<>();
            fresh.forEach(e -> ids.add(e.id()));
            Set<String> conflicts = fresh.size() == events.size() ? Set.of() : conflicts(connection, events, ids);
            return new Stored(jobs, deliveries.size() - jobs.size(), ids,
                    events.size() - fresh.size() - conflicts.size(), conflicts);
        } catch (SQLException e) {
            handoff.abandon(opened); // closed already if the insert was reached (closing twice is harmless)
            throw new OutboxException("storing " + events.size() + " events failed", e);
        } catch (RuntimeException e) {
            handoff.abandon(opened);
            throw e;
        }
    }

    /**
     * Stores an event made by the service itself (a ping) with one delivery to the given endpoint; answers the
     * delivery's id.
     */
    @Transactional
    public String storeFor(IncomingEvent event, DeliveryJob.Target target) {
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection()) {
            insertEvents(connection, List.of(event), now);
            NewDelivery delivery = delivery(event, target.endpointId(), target, null, now);
            handoff.insert(connection, List.of(delivery), now);
            return delivery.id();
        } catch (SQLException e) {
            throw new OutboxException("storing event " + event.id() + " failed", e);
        }
    }

    /**
     * Stores events that the service makes itself (operational notifications) on the caller's connection, in its
     * transaction, each with one delivery due now per endpoint listed for it: their owners send them like any other.
     * An event id seen before stores nothing. Answers the number of deliveries stored.
     */
    public int storeDue(Connection connection, List<IncomingEvent> events, Map<String, List<String>> endpointsByEvent,
            Instant now) throws SQLException {
        List<NewDelivery> deliveries = new ArrayList<>();
        for (IncomingEvent event : insertEvents(connection, events, now)) {
            for (String endpoint : endpointsByEvent.getOrDefault(event.id(), List.of())) {
                deliveries.add(delivery(event, endpoint, null, now, now));
            }
        }
        handoff.insert(connection, deliveries, now);
        return deliveries.size();
    }

    /** A delivery of the event to an endpoint: fresh (claimed) when {@code dueAt} is null, else queued. */
    private static NewDelivery delivery(IncomingEvent event, String endpointId, DeliveryJob.Target target,
            Instant dueAt, Instant now) {
        return new NewDelivery(Ids.newTimeOrderedId("dlv", now.toEpochMilli()), event.id(), endpointId, event.owner(),
                event.type(), event.payload(), target, dueAt, null, null, event.traceparent());
    }

    /**
     * A delivery of an endpoint with ordering: queued due now (never fresh, so that it holds its key back until it is
     * delivered or fails for good; see {@code OutboxStore}), with its key's value.
     */
    private static NewDelivery ordered(IncomingEvent event, Subscriptions.Subscriber s, Supplier<JsonNode> json,
            Instant now) {
        String key = s.orderKey().valueFor(event.owner(), event.repo(), event.type(),
                s.orderKey().readsPayload() ? json.get() : null);
        return delivery(event, s.id(), s.target(), now, now).withOrderKey(key);
    }

    /**
     * Of the records not inserted (their id was there already, or came earlier in the batch), those whose stored event
     * has other bytes (another owner's, or another payload), by {@link IncomingEvent#source()}: a duplicate is the same
     * record read again; such an event must not pass for one and vanish. Ids are global.
     */
    private static Set<String> conflicts(Connection connection, List<IncomingEvent> events, Set<String> inserted)
            throws SQLException {
        // every record of a known id is compared, not one per id: a batch may hold the same id several times
        Map<String, List<IncomingEvent>> seen = new HashMap<>();
        for (IncomingEvent e : events) {
            if (inserted.contains(e.id()) && !seen.containsKey(e.id())) {
                seen.put(e.id(), new ArrayList<>()); // the record that was stored: its later ones are compared
            } else {
                seen.computeIfAbsent(e.id(), id -> new ArrayList<>()).add(e);
            }
        }
        seen.values().removeIf(List::isEmpty); // stored once, read once: nothing to compare
        Set<String> conflicts = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement(
                "select id, owner, payload from event where id = any (?)")) {
            select.setArray(1, Columns.texts(connection, seen.keySet()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    for (IncomingEvent event : seen.get(rows.getString(1))) {
                        if (!rows.getString(2).equals(event.owner())
                                || !java.util.Arrays.equals(rows.getBytes(3), event.payload())) {
                            conflicts.add(event.source());
                        }
                    }
                }
            }
        }
        return conflicts;
    }

    /** Inserts the events in one statement; answers those that were new, in their order. */
    private static List<IncomingEvent> insertEvents(Connection connection, List<IncomingEvent> events,
            Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into event (id, type, owner, repo, payload, occurred_at, received_at, appended_at,
                                   source_topic, source_partition, source_offset, traceparent)
                select u.id, u.type, u.owner, u.repo, u.payload, u.occurred::timestamptz, ?::timestamptz,
                       u.appended::timestamptz, u.topic, u.partition, u.offset_, u.traceparent
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bytea[], ?::text[], ?::text[], ?::text[],
                            ?::int[], ?::int8[], ?::text[]) as u(id, type, owner, repo, payload, occurred, appended,
                                                                 topic, partition, offset_, traceparent)
                on conflict (id) do nothing
                returning id""")) {
            insert.setString(1, now.toString());
            new Columns(connection, insert, 2)
                    .text(events, IncomingEvent::id)
                    .text(events, IncomingEvent::type)
                    .text(events, IncomingEvent::owner)
                    .text(events, IncomingEvent::repo)
                    .bytes(events, IncomingEvent::payload)
                    .time(events, IncomingEvent::occurredAt)
                    .time(events, IncomingEvent::appendedAt)
                    .text(events, IncomingEvent::topic)
                    .integer(events, e -> e.partition() < 0 ? null : e.partition())
                    .bigint(events, e -> e.offset() < 0 ? null : e.offset())
                    .text(events, IncomingEvent::traceparent);
            Set<String> inserted = new HashSet<>();
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    inserted.add(rows.getString(1));
                }
            }
            List<IncomingEvent> fresh = new ArrayList<>();
            for (IncomingEvent e : events) {
                if (inserted.remove(e.id())) {
                    fresh.add(e);
                }
            }
            return fresh;
        }
    }
}
