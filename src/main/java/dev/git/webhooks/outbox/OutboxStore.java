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
     * The keys of an ordered endpoint's pending deliveries (SPEC §12), walked through {@code delivery_ordered} by a
     * skip scan (one index probe per key, however long each key's backlog). An ordered endpoint's pending deliveries are
     * all queued (never fresh), so "pending" is "in the queue" here. {@code %1$s} is the endpoint's id.
     */
    private static final String KEYS = """
            with recursive keys(k) as (
                (select o.order_key from delivery o
                 where o.endpoint_id = %1$s and o.next_attempt_at is not null and o.order_key is not null
                 order by o.order_key limit 1)
                union all
                select (select o.order_key from delivery o
                        where o.endpoint_id = %1$s and o.next_attempt_at is not null and o.order_key > keys.k
                        order by o.order_key limit 1)
                from keys where keys.k is not null)
            """;

    /** A key's pending deliveries in the order of their events ({@code %2$s}: more conditions, or nothing). */
    private static final String OF_KEY = """
             from delivery o
            where o.endpoint_id = %1$s and o.order_key = keys.k and o.next_attempt_at is not null%2$s
            order by o.seq""";

    /** The first pending delivery of each key of an ordered endpoint: the first that may be sent ({@link #KEYS}). */
    static final String HEADS = KEYS + "select (select o.id" + OF_KEY.formatted("%1$s", "")
            + " limit 1)\nfrom keys where keys.k is not null";

    /** Deliveries of a key claimed at most at once (a run), one after the other (see {@link #RUNS}). */
    static final int RUN = 8;

    /**
     * The first {@link #RUN} pending deliveries of each key of an ordered endpoint whose first this instance may claim
     * (the condition on {@code head} that follows): a run, sent one after the other by its owner, so that an ordered
     * endpoint is claimed about once per run of each key, not once per delivery. A key whose first delivery is not
     * claimable (held here, or due later) gives none.
     */
    private static final String RUNS = KEYS + "select run.id, run.seq from keys\n"
            + "cross join lateral (select o.seq, o.next_attempt_at, o.claim" + OF_KEY.formatted("%1$s", "")
            + " limit 1) head\n"
            + "cross join lateral (select o.id, o.seq" + OF_KEY.formatted("%1$s", " and o.seq >= head.seq")
            + " limit " + RUN + ") run\n"
            + "where keys.k is not null and ";

    /**
     * This instance may claim a queued row {@code d}: its time has come, or another instance leased it, which is
     * this instance's to send now that it owns the endpoint (the previous owner gave the endpoint back or died).
     */
    private static String claimable(String row) {
        return """
                %1$s.next_attempt_at <= p.horizon
                  and (%1$s.next_attempt_at <= p.now
                       or (%1$s.claim is not null and not starts_with(%1$s.claim, p.me)))"""
                .formatted(row);
    }

    /**
     * Claims, for each endpoint, its due rows up to its room, oldest first: its unkeyed rows through its range of
     * the queue index, and a run of each key of an ordered endpoint ({@link #RUNS}), each row with its place in its
     * key's chain ({@link DeliveryJob.Order}). Locked rows are skipped, so a claim never waits (a run with a row
     * skipped breaks its chain there, which its owner sees). Another endpoint's backlog is never walked, nor the rows
     * of a key beyond its run. Only the endpoints of the buckets this instance owns when the statement runs are
     * claimed: a claim that reaches the database late (a pause, a partition) after another instance took the bucket
     * over takes nothing of the new owner's. A row this instance leased already (its lease lapsed while the database
     * was away) keeps its claim: the engine holds it, perhaps with its outcome still to write under that claim, and
     * takes it as a renewal of its lease, not as a delivery to send again.
     */
    private static final String CLAIM = """
            with p as (select ?::timestamptz as horizon, ?::timestamptz as now, ?::text as me),
            picked as (
                select c.id from unnest(?::text[], ?::int[]) as r(endpoint_id, room) cross join p
                cross join lateral (
                    select x.id from (
                        select * from (
                            select d.id, d.next_attempt_at from delivery d
                            where d.endpoint_id = r.endpoint_id and d.order_key is null
                              and d.next_attempt_at is not null and\s""" + claimable("d") + """

                            order by d.next_attempt_at limit r.room
                            for update of d skip locked) unkeyed
                        union all
                        select * from (
                            select d.id, d.next_attempt_at from (
                                select ids.id from (""" + RUNS.formatted("r.endpoint_id") + claimable("head") + """
            ) ids order by ids.seq limit r.room) ids
                            cross join lateral (
                                select d.id, d.next_attempt_at from delivery d where d.id = ids.id and\s"""
            + claimable("d") + """

                                for update of d skip locked) d) runs
                    ) x order by x.next_attempt_at limit r.room
                ) c
            )
            update delivery d set claim = case when starts_with(d.claim, p.me) then d.claim else ? end,
                next_attempt_at = ?
            from p, picked, event e, webhook_endpoint w, endpoint_bucket b
            where d.id = picked.id and e.id = d.event_id and w.id = d.endpoint_id and w.status = 'enabled'
              and w.active and d.status = 'pending' and b.bucket = w.bucket and b.owner || '.' = p.me
            returning d.id, d.event_id, d.event_type, e.payload, d.attempts, d.created_at, d.owner, e.traceparent,
                d.order_key, d.seq, coalesce((select o.seq from delivery o
                    where o.endpoint_id = d.endpoint_id and o.order_key = d.order_key and o.next_attempt_at is not null
                      and o.seq < d.seq order by o.seq desc limit 1), 0),
            """ + DeliveryJob.Target.columns("w") + ", d.claim as held_claim";

    /** When a queued row {@code d} is next for this instance: its own leases aside, another's lease is due now. */
    private static final String NEXT = """
            select case when d.claim is null then d.next_attempt_at else least(d.next_attempt_at, now()) end
                   as next""";

    /**
     * When the next queued row of each endpoint is due (this instance's own leases aside; another instance's lease
     * is due now, for this one owns the endpoint), and its breaker: the earlier of its first unkeyed row and the
     * first rows of its keys.
     */
    private static final String PROBE = """
            select w.id, w.bucket, q.next, w.breaker_open_until, w.breaker_delay_ms
            from webhook_endpoint w
            left join lateral (
                select min(x.next) as next from (
                    select * from (""" + NEXT + """

                        from delivery d
                        where d.endpoint_id = w.id and d.order_key is null and d.next_attempt_at is not null
                          and (d.claim is null or not starts_with(d.claim, ?))
                        order by d.next_attempt_at limit 1) unkeyed
                    union all
                    select * from (""" + NEXT + """

                        from delivery d
                        where d.id in (""" + HEADS.formatted("w.id") + """
            ) and (d.claim is null or not starts_with(d.claim, ?))) heads
                ) x
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

    private static final java.util.Comparator<DeliveryJob> BY_SEQ = java.util.Comparator.comparingLong(
            job -> job.order() == null ? 0 : job.order().seq());

    /**
     * Claims due deliveries of these endpoints (at most their room each), leased until {@code now + lease}; a key's
     * deliveries in the order of their events.
     */
    @Transactional
    public List<DeliveryJob> claim(Map<String, Integer> rooms, Instant now) {
        Instant leaseUntil = now.plus(config.lease());
        String claim = instance.newClaim();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(CLAIM)) {
            // another instance's lease is at most a lease and a heartbeat ahead
            statement.setTimestamp(1, Timestamp.from(now.plus(config.lease()).plus(config.heartbeat())));
            statement.setTimestamp(2, Timestamp.from(now));
            statement.setString(3, instance.id() + ".");
            statement.setArray(4, Columns.texts(connection, rooms.keySet()));
            statement.setArray(5, connection.createArrayOf("int4", rooms.values().toArray()));
            statement.setString(6, claim);
            statement.setTimestamp(7, Timestamp.from(leaseUntil));
            List<DeliveryJob> jobs = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    jobs.add(new DeliveryJob(rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getBytes(4), rows.getInt(5) + 1, rows.getString("held_claim"),
                            rows.getTimestamp(6).toInstant(), leaseUntil,
                            DeliveryJob.Target.read(rows, 12), rows.getString(7),
                            DeliveryJob.Trace.of(rows.getString(8), null), rows.getString(9) == null ? null
                                    : new DeliveryJob.Order(rows.getString(9), rows.getLong(10), rows.getLong(11))));
                }
            }
            jobs.sort(BY_SEQ); // a key's run in its order
            return jobs;
        } catch (SQLException e) {
            throw new OutboxException("claiming due deliveries failed", e);
        }
    }

    /** What the queue holds for these endpoints (only those with something queued, or an open breaker). */
    public List<QueueState> probe(Collection<String> endpointIds) {
        return probe("w.id = any (?)", (connection, statement) ->
                statement.setArray(3, Columns.texts(connection, endpointIds)));
    }

    /**
     * The endpoints with something in the queue, one index probe each through {@code delivery_queue} (a skip scan
     * over its leading column), however many endpoints have nothing queued.
     */
    private static final String QUEUED = """
            with recursive queued(e) as (
                (select d.endpoint_id from delivery d where d.next_attempt_at is not null
                 order by d.endpoint_id limit 1)
                union all
                select (select d.endpoint_id from delivery d
                        where d.next_attempt_at is not null and d.endpoint_id > queued.e
                        order by d.endpoint_id limit 1)
                from queued where queued.e is not null)
            select e from queued where e is not null""";

    /**
     * {@link #probe(Collection)} for every endpoint of these buckets: those with something queued or an open breaker,
     * looked at one by one, the others not at all. Looking at each endpoint of the buckets cost PostgreSQL 33–43 ms
     * for 10,000 endpoints at every resync (every 5 s), and 0.7–1.1 s where its JIT compiled the plan, on a copy of the
     * schema; this way 4–12 ms.
     */
    public List<QueueState> probeBuckets(Collection<Integer> buckets) {
        return probe("w.bucket = any (?) and (w.id = any (array(" + QUEUED + ")) or w.breaker_open_until > now())",
                (connection, statement) -> statement.setArray(3, connection.createArrayOf("int4", buckets.toArray())));
    }

    private interface Binder {
        void bind(Connection connection, PreparedStatement statement) throws SQLException;
    }

    private List<QueueState> probe(String where, Binder binder) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(PROBE + " " + where)) {
            statement.setString(1, instance.id() + ".");
            statement.setString(2, instance.id() + ".");
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
