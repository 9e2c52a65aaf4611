package dev.git.webhooks.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import dev.git.webhooks.common.SqlValues;

/**
 * The figures operators read off the delivery tables (the endpoints' health, the console's overview, the notice
 * of a delivery that failed for good), so that no other package queries them. Runs in the caller's transaction.
 */
@ApplicationScoped
public class OutboxViews {

    /**
     * An endpoint's last hour, read from its newest {@code sample} deliveries: attempts (the failed ones, each with
     * a row, and the successful ones, the last attempt of a delivered row), successes, the p95 from Kafka append to
     * completion, its latest error; and what waits in the queue.
     */
    public record EndpointFigures(long attempts, long successes, Long p95Ms, String lastError, Instant lastErrorAt,
            long pending, Instant oldestPending) {

        static final EndpointFigures NONE = new EndpointFigures(0, 0, null, null, null, 0, null);
    }

    /** Deliveries created since an hour (delivered, failed), delivered in the last 5 minutes, and the queue. */
    public record Traffic(long deliveredRecently, long delivered, long failed, long queued, Instant oldestDue) {
    }

    /** A delivery that failed for good, as its notice tells it. */
    public record Failed(String id, String owner, String endpointId, String eventId, String eventType, int attempts,
            Integer lastStatus, String lastError, Instant failedAt) {
    }

    private static final String ENDPOINT_FIGURES = """
            select w.id, h.attempts, h.successes, h.p95_ms, h.last_error, h.last_error_at, p.pending, p.oldest
            from unnest(cast(?1 as text[])) as w(id)
            left join lateral (
                with recent as (
                    select d.id, d.status, d.completed_at, d.event_id, d.redelivery_of, d.last_error,
                           d.last_attempt_at
                    from delivery d where d.endpoint_id = w.id order by d.seq desc limit ?2
                ),
                ok as (select count(*) as n from recent r where r.status = 'delivered' and r.last_attempt_at >= ?3),
                failed as (select count(*) as n from delivery_attempt x join recent r on r.id = x.delivery_id
                           where x.started_at >= ?3)
                select ok.n + failed.n as attempts, ok.n as successes,
                       (select percentile_cont(0.95) within group (order by extract(epoch from
                                   r.completed_at - coalesce(e.appended_at, e.received_at)) * 1000)
                        from recent r join event e on e.id = r.event_id
                        where r.status = 'delivered' and r.redelivery_of is null and r.completed_at >= ?3) as p95_ms,
                       l.last_error, l.last_attempt_at as last_error_at
                from ok, failed
                left join lateral (select r.last_error, r.last_attempt_at from recent r
                                   where r.last_error is not null
                                   order by r.last_attempt_at desc nulls last limit 1) l on true
            ) h on true
            left join lateral (
                select count(*) as pending, min(d.created_at) as oldest from delivery d
                where d.next_attempt_at is not null and d.endpoint_id = w.id and d.status = 'pending'
            ) p on true""";

    private final EntityManager em;

    public OutboxViews(EntityManager em) {
        this.em = em;
    }

    /** The figures of these endpoints since {@code since}, each from its newest {@code sample} deliveries. */
    public Map<String, EndpointFigures> endpointFigures(List<String> endpointIds, int sample, Instant since) {
        Map<String, EndpointFigures> figures = new HashMap<>();
        endpointIds.forEach(id -> figures.put(id, EndpointFigures.NONE));
        if (endpointIds.isEmpty()) {
            return figures;
        }
        List<?> rows = em.createNativeQuery(ENDPOINT_FIGURES).setParameter(1, endpointIds.toArray(String[]::new))
                .setParameter(2, sample).setParameter(3, Timestamp.from(since)).getResultList();
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            figures.put((String) c[0], new EndpointFigures(number(c[1]), number(c[2]),
                    c[3] == null ? null : Math.round(((Number) c[3]).doubleValue()), (String) c[4],
                    SqlValues.instant(c[5]), number(c[6]), SqlValues.instant(c[7])));
        }
        return figures;
    }

    /**
     * The traffic of one owner, or of all ({@code owner} null): deliveries created since {@code hour} (the
     * {@code created_at} range index), those delivered since {@code recent}, and the queue with its oldest due
     * delivery (never claimed, or its lease ran out; the queue index).
     */
    public Traffic traffic(String owner, Instant hour, Instant recent, Instant now) {
        String mine = owner == null ? "" : " and owner = ?3";
        Object[] counts = (Object[]) query("""
                select count(*) filter (where status = 'delivered' and completed_at >= ?2),
                       count(*) filter (where status = 'delivered'),
                       count(*) filter (where status in ('failed', 'replayed'))
                from delivery where created_at >= ?1""" + mine, hour, recent, owner).getSingleResult();
        Object[] queue = (Object[]) query("""
                select count(*), min(next_attempt_at) filter (where next_attempt_at <= ?1)
                from delivery where next_attempt_at is not null and cast(?2 as timestamptz) is not null""" + mine,
                now, now, owner).getSingleResult();
        return new Traffic(number(counts[0]), number(counts[1]), number(counts[2]), number(queue[0]),
                SqlValues.instant(queue[1]));
    }

    /**
     * When the endpoint's newest delivery of an event was made (not a ping, a replay's or a redelivery's copy): the
     * events it missed since (paused or disabled) came after it. Null when it has none.
     */
    public Instant lastEventDeliveryAt(String endpointId) {
        List<?> rows = em.createNativeQuery("""
                select created_at from delivery
                where endpoint_id = ?1 and event_type <> 'ping' and redelivery_of is null and replay_id is null
                order by seq desc limit 1""").setParameter(1, endpointId).getResultList();
        return rows.isEmpty() ? null : SqlValues.instant(rows.get(0));
    }

    /**
     * The highest sequence number of the endpoint's deliveries so far (0 when there is none): a replay of the endpoint
     * copies none made after it. Read through the index on {@code (endpoint_id, seq)}: no index starts with
     * {@code seq}, so the highest of the whole table was a scan of it.
     */
    public long maxSeq(String endpointId) {
        return number(em.createNativeQuery("select coalesce(max(seq), 0) from delivery where endpoint_id = ?1")
                .setParameter(1, endpointId).getSingleResult());
    }

    /** The newest event's {@code seq} (0 when there is none): where a recover's walk over events ends. */
    public long maxEventSeq() {
        return number(em.createNativeQuery("select coalesce(max(seq), 0) from event").getSingleResult());
    }

    /** Of these deliveries, those that failed for good, except deliveries of {@code exceptTypes}. */
    public static List<Failed> failed(Connection connection, Collection<String> deliveryIds,
            Collection<String> exceptTypes) throws SQLException {
        List<Failed> failed = new ArrayList<>();
        if (deliveryIds.isEmpty()) {
            return failed;
        }
        try (PreparedStatement select = connection.prepareStatement("""
                select id, owner, endpoint_id, event_id, event_type, attempts, last_status, last_error, completed_at
                from delivery where id = any (?) and status = 'failed' and not (event_type = any (?))""")) {
            select.setArray(1, connection.createArrayOf("text", deliveryIds.toArray()));
            select.setArray(2, connection.createArrayOf("text", exceptTypes.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    failed.add(new Failed(rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getString(4), rows.getString(5), rows.getInt(6), (Integer) rows.getObject(7),
                            rows.getString(8), SqlValues.instant(rows.getTimestamp(9))));
                }
            }
        }
        return failed;
    }

    private Query query(String sql, Instant first, Instant second, String owner) {
        Query query = em.createNativeQuery(sql).setParameter(1, Timestamp.from(first))
                .setParameter(2, Timestamp.from(second));
        if (owner != null) {
            query.setParameter(3, owner);
        }
        return query;
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
