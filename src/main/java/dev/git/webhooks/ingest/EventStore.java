package dev.git.webhooks.ingest;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Map;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.outbox.Columns;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.NewDelivery;
import dev.git.webhooks.outbox.OutboxException;
import dev.git.webhooks.outbox.OutboxStore;

/**
 * Stores a polled batch of events and fans each new one out to the matching enabled endpoints of its owner, in
 * one transaction. An event id seen before inserts nothing and fans out nothing. The new deliveries come back
 * claimed by this instance, to offer to the lanes after the commit; those of endpoints that cannot take them now
 * (an open breaker, a full lane) go to the outbox's queue instead, due when they can.
 */
@ApplicationScoped
public class EventStore {

    /**
     * What a batch did: the deliveries claimed by this instance (offer them after the commit), how many went to the
     * queue instead, and which events were new.
     */
    public record Stored(List<DeliveryJob> jobs, int queued, Set<String> newEventIds, int duplicates) {
    }

    private record Subscriber(String id, String owner, List<String> events, List<String> repos,
            DeliveryJob.Target target) {
    }

    private final DataSource dataSource;
    private final OutboxStore outbox;
    private final Clock clock;

    public EventStore(DataSource dataSource, OutboxStore outbox, Clock clock) {
        this.dataSource = dataSource;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * Stores the events and their deliveries. Deliveries to endpoints in {@code holds} go to the queue, due at the
     * given time; the others come back claimed by this instance.
     */
    @Transactional
    public Stored store(List<IncomingEvent> events, Map<String, Instant> holds) {
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection()) {
            List<IncomingEvent> fresh = insertEvents(connection, events, now);
            Set<String> owners = new LinkedHashSet<>();
            fresh.forEach(e -> owners.add(e.owner()));
            List<Subscriber> subscribers = subscribers(connection, owners);
            List<NewDelivery> deliveries = new ArrayList<>();
            long millis = now.toEpochMilli();
            for (IncomingEvent event : fresh) {
                for (Subscriber s : subscribers) {
                    if (s.owner().equals(event.owner()) && Subscriptions.matches(s.events(), s.repos(),
                            event.type(), event.repo())) {
                        deliveries.add(new NewDelivery(Ids.newTimeOrderedId("dlv", millis), event.id(), s.id(),
                                event.owner(), event.type(), event.payload(), s.target(), holds.get(s.id()), null,
                                null, event.traceparent()));
                    }
                }
            }
            List<DeliveryJob> jobs = outbox.insert(connection, deliveries, now);
            Set<String> ids = new LinkedHashSet<>();
            fresh.forEach(e -> ids.add(e.id()));
            return new Stored(jobs, deliveries.size() - jobs.size(), ids, events.size() - fresh.size());
        } catch (SQLException e) {
            throw new OutboxException("storing " + events.size() + " events failed", e);
        }
    }

    /** Stores an event made by the service itself (a ping) with one delivery to the given endpoint. */
    @Transactional
    public DeliveryJob storeFor(IncomingEvent event, DeliveryJob.Target target) {
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection()) {
            insertEvents(connection, List.of(event), now);
            return outbox.insert(connection, List.of(new NewDelivery(Ids.newTimeOrderedId("dlv", now.toEpochMilli()),
                    event.id(), target.endpointId(), event.owner(), event.type(), event.payload(), target, null, null,
                    null, event.traceparent())), now).get(0);
        } catch (SQLException e) {
            throw new OutboxException("storing event " + event.id() + " failed", e);
        }
    }

    /**
     * Stores events that the service makes itself (operational notifications) on the caller's connection, in its
     * transaction, each with one delivery due now per endpoint listed for it: the poller sends them like any other.
     * An event id seen before stores nothing. Answers the number of deliveries stored.
     */
    public int storeDue(Connection connection, List<IncomingEvent> events, Map<String, List<String>> endpointsByEvent,
            Instant now) throws SQLException {
        List<NewDelivery> deliveries = new ArrayList<>();
        for (IncomingEvent event : insertEvents(connection, events, now)) {
            for (String endpoint : endpointsByEvent.getOrDefault(event.id(), List.of())) {
                deliveries.add(new NewDelivery(Ids.newTimeOrderedId("dlv", now.toEpochMilli()), event.id(), endpoint,
                        event.owner(), event.type(), event.payload(), null, now, null, null, event.traceparent()));
            }
        }
        outbox.insert(connection, deliveries, now);
        return deliveries.size();
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

    /**
     * The endpoints that take the batch's events, locked {@code for share} until the batch commits: an endpoint being
     * switched off (its row locked for update, see {@code EndpointStops}) is waited for and then left out, and one
     * switched off after this read waits for the batch and then fails its new deliveries with the others. Without the
     * lock, a snapshot taken just before a switch-off left pending rows that went out, old, once it was switched on.
     * Locked in id order, so that two batches never wait on each other.
     */
    private static List<Subscriber> subscribers(Connection connection, Set<String> owners) throws SQLException {
        List<Subscriber> subscribers = new ArrayList<>();
        if (owners.isEmpty()) {
            return subscribers;
        }
        try (PreparedStatement select = connection.prepareStatement("""
                select id, owner, events, repos, url, secret_ciphertext, secret_key_id, previous_secret_ciphertext,
                       previous_secret_key_id, previous_secret_expires_at
                from webhook_endpoint where owner = any (?) and status = 'enabled' and active
                order by id
                for share""")) {
            select.setArray(1, Columns.texts(connection, owners));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Timestamp previousExpires = rows.getTimestamp(10);
                    subscribers.add(new Subscriber(rows.getString(1), rows.getString(2), strings(rows.getArray(3)),
                            rows.getArray(4) == null ? null : strings(rows.getArray(4)),
                            new DeliveryJob.Target(rows.getString(1), rows.getString(5), rows.getBytes(6),
                                    rows.getString(7), rows.getBytes(8), rows.getString(9),
                                    previousExpires == null ? null : previousExpires.toInstant())));
                }
            }
        }
        return subscribers;
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
