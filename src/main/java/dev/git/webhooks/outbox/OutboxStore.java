package dev.git.webhooks.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.git.webhooks.tracing.TraceParent;

/**
 * The outbox's moves, in plain JDBC: insert (fresh deliveries claimed by this instance, the others queued), claim
 * from the queue ({@code FOR UPDATE SKIP LOCKED}, at most the room each endpoint has), renew, release and fail.
 * Every write about a claimed delivery names its claim, and changes nothing once the claim is someone else's.
 */
@ApplicationScoped
public class OutboxStore {

    /** A claimed delivery handed back unsent: queued again, due at {@code at}, no attempt counted. */
    public record Release(DeliveryJob job, Instant at) {
    }

    /**
     * What the queue holds for one endpoint: when its next row is due (null: none), and its breaker as its last owner
     * left it ({@code breakerOpenUntil} null: closed).
     */
    public record QueueState(String endpointId, int bucket, Instant next, Instant breakerOpenUntil,
            long breakerDelayMillis) {
    }


    /**
     * A queued row that is not held back by its ordering key (SPEC §12): no earlier delivery of the same endpoint and
     * key is still pending. An ordered endpoint's pending deliveries are all queued (never fresh), so "pending" is
     * "in the queue" here, one lookup in {@code delivery_ordered}.
     */
    private static final String HEAD = """
            (d.order_key is null or not exists (
                select 1 from delivery p
                where p.endpoint_id = d.endpoint_id and p.order_key = d.order_key and p.next_attempt_at is not null
                  and p.seq < d.seq))""";

    /**
     * Claims, for each endpoint, its due rows up to its room, oldest first: rows whose time has come, and rows that
     * another instance leased, which are this instance's to send now that it owns the endpoint (the previous owner
     * gave the endpoint back or died). Locked rows are skipped, so a claim never waits. Each endpoint is read through
     * its own range of the queue index: another endpoint's backlog is never walked.
     */
    private static final String CLAIM = """
            with picked as (
                select q.id from unnest(?::text[], ?::int[]) as r(endpoint_id, room)
                cross join lateral (
                    select d.id from delivery d
                    where d.endpoint_id = r.endpoint_id and d.next_attempt_at is not null and d.next_attempt_at <= ?
                      and (d.next_attempt_at <= ? or (d.claim is not null and not starts_with(d.claim, ?)))
                      and """ + HEAD + """

                    order by d.next_attempt_at
                    limit r.room
                    for update of d skip locked
                ) q
            )
            update delivery d set claim = ?, next_attempt_at = ?
            from picked, event e, webhook_endpoint w
            where d.id = picked.id and e.id = d.event_id and w.id = d.endpoint_id and w.status = 'enabled'
              and w.active and d.status = 'pending'
            returning d.id, d.event_id, d.event_type, e.payload, d.attempts, d.created_at, d.owner, e.traceparent,
            """ + DeliveryJob.Target.columns("w");

    /**
     * When the next queued row of each endpoint is due (this instance's own leases aside; another instance's lease
     * is due now, for this one owns the endpoint), and its breaker.
     */
    private static final String PROBE = """
            select w.id, w.bucket, q.next, w.breaker_open_until, w.breaker_delay_ms
            from webhook_endpoint w
            left join lateral (
                select case when d.claim is null then d.next_attempt_at else least(d.next_attempt_at, now()) end
                       as next
                from delivery d
                where d.endpoint_id = w.id and d.next_attempt_at is not null
                  and (d.claim is null or not starts_with(d.claim, ?)) and """ + HEAD + """

                order by d.next_attempt_at
                limit 1
            ) q on true
            where w.status = 'enabled' and w.active and (q.next is not null or w.breaker_open_until > now())
              and """;

    private final DataSource dataSource;
    private final Instance instance;
    private final OutboxConfig config;

    public OutboxStore(DataSource dataSource, Instance instance, OutboxConfig config) {
        this.dataSource = dataSource;
        this.instance = instance;
        this.config = config;
    }

    /**
     * Inserts deliveries in one statement on the connection of the caller's transaction. Answers the fresh ones as
     * jobs claimed by this instance: offer them to the engine once the transaction has committed. The owners of the
     * endpoints of the queued ones are told when it commits ({@link Signals}).
     */
    public List<DeliveryJob> insert(Connection connection, List<NewDelivery> deliveries, Instant now)
            throws SQLException {
        Set<String> queued = new HashSet<>();
        deliveries.stream().filter(d -> !d.fresh()).forEach(d -> queued.add(d.endpointId()));
        return insert(connection, deliveries, now, queued);
    }

    /**
     * {@link #insert(Connection, List, Instant)}, telling at the commit only the owners of the endpoints in
     * {@code tell} about their queued deliveries (the caller tells its own instance itself).
     */
    public List<DeliveryJob> insert(Connection connection, List<NewDelivery> deliveries, Instant now,
            Set<String> tell) throws SQLException {
        if (deliveries.isEmpty()) {
            return List.of();
        }
        String claim = instance.newClaim();
        String origin = TraceParent.current(); // the ingest batch or API request inserting them, if traced
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into delivery (id, event_id, endpoint_id, owner, event_type, status, attempts, next_attempt_at,
                                      created_at, redelivery_of, replay_id, claim, order_key)
                select u.id, u.event_id, u.endpoint_id, u.owner, u.event_type, 'pending', 0, u.due::timestamptz,
                       ?::timestamptz, u.redelivery_of, u.replay_id, case when u.due is null then ? end, u.order_key
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::text[])
                     as u(id, event_id, endpoint_id, owner, event_type, due, redelivery_of, replay_id, order_key)
                """)) { // unnest gives the rows in their order, so seq follows it (the order of an ordered key)
            insert.setString(1, now.toString());
            insert.setString(2, claim);
            new Columns(connection, insert, 3)
                    .text(deliveries, NewDelivery::id)
                    .text(deliveries, NewDelivery::eventId)
                    .text(deliveries, NewDelivery::endpointId)
                    .text(deliveries, NewDelivery::owner)
                    .text(deliveries, NewDelivery::eventType)
                    .time(deliveries, NewDelivery::dueAt)
                    .text(deliveries, NewDelivery::redeliveryOf)
                    .text(deliveries, NewDelivery::replayId)
                    .text(deliveries, NewDelivery::orderKey);
            insert.executeUpdate();
        }
        Signals.due(connection, tell);
        return deliveries.stream().filter(NewDelivery::fresh).map(d -> d.claimed(claim, now, origin)).toList();
    }

    /** Claims due deliveries of these endpoints (at most their room each), leased until {@code now + lease}. */
    @Transactional
    public List<DeliveryJob> claim(Map<String, Integer> rooms, Instant now) {
        Instant leaseUntil = now.plus(config.lease());
        String claim = instance.newClaim();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(CLAIM)) {
            statement.setArray(1, Columns.texts(connection, rooms.keySet()));
            statement.setArray(2, connection.createArrayOf("int4", rooms.values().toArray()));
            // another instance's lease is at most a lease and a heartbeat ahead
            statement.setTimestamp(3, Timestamp.from(now.plus(config.lease()).plus(config.heartbeat())));
            statement.setTimestamp(4, Timestamp.from(now));
            statement.setString(5, instance.id() + ".");
            statement.setString(6, claim);
            statement.setTimestamp(7, Timestamp.from(leaseUntil));
            List<DeliveryJob> jobs = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    jobs.add(new DeliveryJob(rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getBytes(4), rows.getInt(5) + 1, claim, rows.getTimestamp(6).toInstant(), leaseUntil,
                            DeliveryJob.Target.read(rows, 9), rows.getString(7),
                            DeliveryJob.Trace.of(rows.getString(8), null)));
                }
            }
            return jobs;
        } catch (SQLException e) {
            throw new OutboxException("claiming due deliveries failed", e);
        }
    }

    /** What the queue holds for these endpoints (only those with something queued, or an open breaker). */
    public List<QueueState> probe(Collection<String> endpointIds) {
        return probe("w.id = any (?)", (connection, statement) ->
                statement.setArray(2, Columns.texts(connection, endpointIds)));
    }

    /** {@link #probe(Collection)} for every endpoint of these buckets. */
    public List<QueueState> probeBuckets(Collection<Integer> buckets) {
        return probe("w.bucket = any (?)", (connection, statement) ->
                statement.setArray(2, connection.createArrayOf("int4", buckets.toArray())));
    }

    private interface Binder {
        void bind(Connection connection, PreparedStatement statement) throws SQLException;
    }

    private List<QueueState> probe(String where, Binder binder) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(PROBE + " " + where)) {
            statement.setString(1, instance.id() + ".");
            binder.bind(connection, statement);
            List<QueueState> found = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Timestamp next = rows.getTimestamp(3);
                    Timestamp open = rows.getTimestamp(4);
                    found.add(new QueueState(rows.getString(1), rows.getInt(2),
                            next == null ? null : next.toInstant(), open == null ? null : open.toInstant(),
                            rows.getLong(5)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new OutboxException("reading the queue failed", e);
        }
    }

    /**
     * Extends the lease of deliveries this instance still holds (fresh ones get their first lease). Answers the ids
     * whose claim is no longer this instance's: they must not be sent.
     */
    @Transactional
    public Set<String> renew(List<DeliveryJob> jobs, Instant leaseUntil) {
        if (jobs.isEmpty()) {
            return Set.of();
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update delivery d set next_attempt_at = ?
                        from (select * from unnest(?::text[], ?::text[]) as u(id, claim) order by id) u
                        where d.id = u.id and d.claim = u.claim and d.status = 'pending'
                        returning d.id""")) {
            update.setTimestamp(1, Timestamp.from(leaseUntil));
            new Columns(connection, update, 2).text(jobs, DeliveryJob::deliveryId).text(jobs, DeliveryJob::claim);
            Set<String> lost = new HashSet<>();
            jobs.forEach(j -> lost.add(j.deliveryId()));
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    lost.remove(rows.getString(1));
                }
            }
            return lost;
        } catch (SQLException e) {
            throw new OutboxException("renewing " + jobs.size() + " claims failed", e);
        }
    }

    /**
     * Hands claimed deliveries back unsent: queued, due at the given time, attempts unchanged. The owners of the
     * endpoints in {@code notify} (other instances) hear of them once this commits.
     */
    @Transactional
    public void release(List<Release> releases, Collection<String> notify) {
        if (releases.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update delivery d set claim = null, next_attempt_at = u.at::timestamptz
                        from (select * from unnest(?::text[], ?::text[], ?::text[]) as u(id, claim, at)
                              order by id) u
                        where d.id = u.id and d.claim = u.claim and d.status = 'pending'""")) {
            new Columns(connection, update)
                    .text(releases, r -> r.job().deliveryId())
                    .text(releases, r -> r.job().claim())
                    .time(releases, Release::at);
            update.executeUpdate();
            Signals.due(connection, notify);
        } catch (SQLException e) {
            throw new OutboxException("releasing " + releases.size() + " deliveries failed", e);
        }
    }
}
