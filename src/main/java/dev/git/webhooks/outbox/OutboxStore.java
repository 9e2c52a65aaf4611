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

    /** What a claim may take: rooms per endpoint (absent: {@code defaultRoom}), endpoints to skip, a total. */
    public record ClaimRequest(Instant now, int limit, Map<String, Integer> rooms, int defaultRoom,
            Collection<String> excluded) {
    }

    /** A claimed delivery handed back unsent: queued again, due at {@code at}, no attempt counted. */
    public record Release(DeliveryJob job, Instant at) {
    }

    private static final String CLAIM = """
            with due as (
                select d.id, d.endpoint_id, d.next_attempt_at from delivery d
                join webhook_endpoint w on w.id = d.endpoint_id
                where d.next_attempt_at <= ? and w.status = 'enabled' and w.active
                  and not (d.endpoint_id = any (?))
                order by d.next_attempt_at
                limit ?
            ), ranked as (
                select id, endpoint_id, row_number() over (partition by endpoint_id order by next_attempt_at) as n
                from due
            ), picked as (
                select d.id from delivery d
                join ranked r on r.id = d.id
                left join unnest(?::text[], ?::int[]) as room(endpoint_id, n) on room.endpoint_id = r.endpoint_id
                where r.n <= coalesce(room.n, ?) and d.next_attempt_at <= ?
                for update of d skip locked
            )
            update delivery d set claim = ?, next_attempt_at = ?
            from picked, event e, webhook_endpoint w
            where d.id = picked.id and e.id = d.event_id and w.id = d.endpoint_id
            returning d.id, d.event_id, d.event_type, e.payload, d.attempts, d.created_at, w.id, w.url,
                      w.secret_ciphertext, w.secret_key_id, w.previous_secret_ciphertext, w.previous_secret_key_id,
                      w.previous_secret_expires_at, d.owner, e.traceparent
            """;

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
     * jobs claimed by this instance: offer them to the lanes once the transaction has committed.
     */
    public List<DeliveryJob> insert(Connection connection, List<NewDelivery> deliveries, Instant now)
            throws SQLException {
        if (deliveries.isEmpty()) {
            return List.of();
        }
        String claim = instance.newClaim();
        String origin = TraceParent.current(); // the ingest batch or API request inserting them, if traced
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into delivery (id, event_id, endpoint_id, owner, event_type, status, attempts, next_attempt_at,
                                      created_at, redelivery_of, replay_id, claim)
                select u.id, u.event_id, u.endpoint_id, u.owner, u.event_type, 'pending', 0, u.due::timestamptz,
                       ?::timestamptz, u.redelivery_of, u.replay_id, case when u.due is null then ? end
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                     as u(id, event_id, endpoint_id, owner, event_type, due, redelivery_of, replay_id)""")) {
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
                    .text(deliveries, NewDelivery::replayId);
            insert.executeUpdate();
        }
        return deliveries.stream().filter(NewDelivery::fresh).map(d -> d.claimed(claim, now, origin)).toList();
    }

    /** Claims due deliveries from the queue for this instance, leased until {@code now + lease}. */
    @Transactional
    public List<DeliveryJob> claim(ClaimRequest request) {
        Instant leaseUntil = request.now().plus(config.lease());
        String claim = instance.newClaim();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(CLAIM)) {
            Timestamp now = Timestamp.from(request.now());
            statement.setTimestamp(1, now);
            statement.setArray(2, Columns.texts(connection, request.excluded()));
            statement.setInt(3, request.limit());
            statement.setArray(4, Columns.texts(connection, request.rooms().keySet()));
            statement.setArray(5, connection.createArrayOf("int4", request.rooms().values().toArray()));
            statement.setInt(6, request.defaultRoom());
            statement.setTimestamp(7, now);
            statement.setString(8, claim);
            statement.setTimestamp(9, Timestamp.from(leaseUntil));
            List<DeliveryJob> jobs = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Timestamp previousExpires = rows.getTimestamp(13);
                    DeliveryJob.Target target = new DeliveryJob.Target(rows.getString(7), rows.getString(8),
                            rows.getBytes(9), rows.getString(10), rows.getBytes(11), rows.getString(12),
                            previousExpires == null ? null : previousExpires.toInstant());
                    jobs.add(new DeliveryJob(rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getBytes(4), rows.getInt(5) + 1, claim, rows.getTimestamp(6).toInstant(), leaseUntil,
                            target, rows.getString(14), DeliveryJob.Trace.of(rows.getString(15), null)));
                }
            }
            return jobs;
        } catch (SQLException e) {
            throw new OutboxException("claiming due deliveries failed", e);
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
                        from unnest(?::text[], ?::text[]) as u(id, claim)
                        where d.id = u.id and d.claim = u.claim and d.status = 'pending'
                        returning d.id""")) {
            RowLocks.byId(connection, jobs.stream().map(DeliveryJob::deliveryId).toList());
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

    /** Hands claimed deliveries back unsent: queued, due at the given time, attempts unchanged. */
    @Transactional
    public void release(List<Release> releases) {
        if (releases.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update delivery d set claim = null, next_attempt_at = u.at::timestamptz
                        from unnest(?::text[], ?::text[], ?::text[]) as u(id, claim, at)
                        where d.id = u.id and d.claim = u.claim and d.status = 'pending'""")) {
            RowLocks.byId(connection, releases.stream().map(r -> r.job().deliveryId()).toList());
            new Columns(connection, update)
                    .text(releases, r -> r.job().deliveryId())
                    .text(releases, r -> r.job().claim())
                    .time(releases, Release::at);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new OutboxException("releasing " + releases.size() + " deliveries failed", e);
        }
    }
}
