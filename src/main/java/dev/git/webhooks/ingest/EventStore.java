package dev.git.webhooks.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

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
            List<Subscriptions.Subscriber> subscribers = Subscriptions.lockedFor(connection, owners);
            List<NewDelivery> deliveries = new ArrayList<>();
            for (IncomingEvent event : fresh) {
                for (Subscriptions.Subscriber s : subscribers) {
                    if (s.takes(event)) {
                        deliveries.add(delivery(event, s.id(), s.target(), holds.get(s.id()), now));
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
            return outbox.insert(connection, List.of(delivery(event, target.endpointId(), target, null, now)), now)
                    .get(0);
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
                deliveries.add(delivery(event, endpoint, null, now, now));
            }
        }
        outbox.insert(connection, deliveries, now);
        return deliveries.size();
    }

    /** A delivery of the event to an endpoint: fresh (claimed) when {@code dueAt} is null, else queued. */
    private static NewDelivery delivery(IncomingEvent event, String endpointId, DeliveryJob.Target target,
            Instant dueAt, Instant now) {
        return new NewDelivery(Ids.newTimeOrderedId("dlv", now.toEpochMilli()), event.id(), endpointId, event.owner(),
                event.type(), event.payload(), target, dueAt, null, null, event.traceparent());
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
