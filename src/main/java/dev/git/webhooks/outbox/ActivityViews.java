package dev.git.webhooks.outbox;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import dev.git.webhooks.common.SqlValues;

/**
 * What an endpoint's latest attempts say, for its health and its page: read-only, in the caller's transaction, part
 * of the outbox's read API like {@link OutboxViews}.
 *
 * <p>An endpoint's attempts are those of its newest {@code sample} deliveries (the {@code (endpoint_id, seq)}
 * index) and of up to {@code pendingSample} of its pending deliveries that were tried already (the pending index).
 * The second set matters: behind an open circuit breaker the newest deliveries wait untried while the service keeps
 * probing older ones, and health read from the newest deliveries alone said "no attempts, no error" about an
 * endpoint that refused every connection. Successful attempts are read from their delivery's row (only failures
 * have an attempt row). Both sets are bounded, so the cost per endpoint is too, however large its backlog.
 */
@ApplicationScoped
public class ActivityViews {

    /**
     * An endpoint's attempts since a time (how many, how many succeeded, the p95 of their duration), its latest
     * attempt, and what waits: deliveries retrying (tried, failed, due again), waiting for a first attempt, the
     * oldest of them, and when the next one is due.
     */
    public record Activity(long attempts, long successes, Long p95Ms, Instant lastAt, Integer lastStatus,
            String lastErrorClass, boolean lastSucceeded, String lastError, Instant lastErrorAt, long retrying,
            long waiting, Instant oldestPending, Instant nextDue) {

        static final Activity NONE = new Activity(0, 0, null, null, null, null, false, null, null, 0, 0, null, null);

        public long pending() {
            return retrying + waiting;
        }
    }

    /** One attempt: of which delivery, when, how long, and the answer's status or the error's class. */
    public record Attempt(String deliveryId, String eventType, int attempt, Instant at, Integer durationMs,
            Integer status, String errorClass, boolean succeeded) {
    }

    /** Attempts that started in one interval: how many succeeded and failed, and the p50 and p95 of their durations. */
    public record Bucket(Instant start, long succeeded, long failed, Long p50Ms, Long p95Ms) {
    }

    /** Replay copies by where they stand. */
    public record Copies(long delivered, long failed, long sending) {

        static final Copies NONE = new Copies(0, 0, 0);
    }

    /**
     * Of one owner's deliveries (every owner's when null): those created since a time that failed an attempt and
     * wait for another (retrying), and when the queue's next attempt is due.
     */
    public record Backlog(long retrying, Instant nextDue) {
    }

    /** The attempts of an endpoint {@code w.id}: parameters ?2 sample and ?3 pending sample. */
    private static final String ATTEMPTS = """
            with recent as (
                (select d.id, d.event_type, d.status, d.attempts, d.last_attempt_at, d.last_duration_ms, d.last_status
                 from delivery d where d.endpoint_id = w.id order by d.seq desc limit ?2)
                union
                (select d.id, d.event_type, d.status, d.attempts, d.last_attempt_at, d.last_duration_ms, d.last_status
                 from delivery d where d.endpoint_id = w.id and d.status = 'pending' and d.attempts > 0 limit ?3)
            )
            select x.delivery_id, r.event_type, x.attempt, x.started_at, x.duration_ms, x.response_status as status,
                   x.error_class, x.error_message, false as ok
            from recent r join delivery_attempt x on x.delivery_id = r.id
            union all
            select r.id, r.event_type, r.attempts, r.last_attempt_at, r.last_duration_ms, r.last_status, null, null,
                   true
            from recent r where r.status = 'delivered' and r.last_attempt_at is not null""";

    private static final String ACTIVITY = """
            select w.id, h.attempts, h.successes, h.p95, l.started_at, l.status, l.error_class, l.ok,
                   f.error_class, f.status, f.started_at, p.retrying, p.waiting, p.oldest, p.next_due
            from unnest(cast(?1 as text[])) as w(id)
            left join lateral (
                with a as (%s)
                select (select count(*) from a where a.started_at >= ?4) as attempts,
                       (select count(*) from a where a.ok and a.started_at >= ?4) as successes,
                       (select percentile_cont(0.95) within group (order by a.duration_ms) from a
                        where a.started_at >= ?4) as p95,
                       (select array[a.started_at::text, a.status::text, a.error_class, a.ok::text] from a
                        order by a.started_at desc limit 1) as last,
                       (select array[a.error_class, a.status::text, a.started_at::text] from a where not a.ok
                        order by a.started_at desc limit 1) as failed
            ) h on true
            left join lateral (select h.last[1]::timestamptz as started_at, h.last[2]::int as status,
                                      h.last[3] as error_class, h.last[4]::boolean as ok) l on true
            left join lateral (select h.failed[1] as error_class, h.failed[2]::int as status,
                                      h.failed[3]::timestamptz as started_at) f on true
            left join lateral (
                select count(*) filter (where d.attempts > 0) as retrying, count(*) filter (where d.attempts = 0)
                       as waiting, min(d.created_at) as oldest, min(d.next_attempt_at) as next_due
                from delivery d where d.endpoint_id = w.id and d.status = 'pending'
            ) p on true""".formatted(ATTEMPTS);

    private final EntityManager em;

    public ActivityViews(EntityManager em) {
        this.em = em;
    }

    /** The activity of these endpoints: attempts counted since {@code since}, the latest one whenever it was. */
    public Map<String, Activity> activity(List<String> endpointIds, int sample, int pendingSample, Instant since) {
        Map<String, Activity> found = new HashMap<>();
        endpointIds.forEach(id -> found.put(id, Activity.NONE));
        if (endpointIds.isEmpty()) {
            return found;
        }
        List<?> rows = em.createNativeQuery(ACTIVITY).setParameter(1, endpointIds.toArray(String[]::new))
                .setParameter(2, sample).setParameter(3, pendingSample).setParameter(4, Timestamp.from(since))
                .getResultList();
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            // as a delivery's last_error says it (AttemptResult.summary): "connection_refused", "http_status (HTTP 503)"
            String lastError = c[8] == null && c[9] == null ? null : c[9] == null ? (String) c[8]
                    : c[8] == null ? "HTTP " + c[9] : c[8] + " (HTTP " + c[9] + ")";
            found.put((String) c[0], new Activity(number(c[1]), number(c[2]),
                    c[3] == null ? null : Math.round(((Number) c[3]).doubleValue()), SqlValues.instant(c[4]),
                    integer(c[5]), (String) c[6], Boolean.TRUE.equals(c[7]), lastError, SqlValues.instant(c[10]),
                    number(c[11]), number(c[12]), SqlValues.instant(c[13]), SqlValues.instant(c[14])));
        }
        return found;
    }

    /** The latest {@code limit} attempts of one endpoint, newest first. */
    public List<Attempt> latest(String endpointId, int sample, int pendingSample, int limit) {
        List<?> rows = em.createNativeQuery("select a.* from (select cast(?1 as text) as id) w, lateral ("
                + ATTEMPTS + ") a order by a.started_at desc limit ?4")
                .setParameter(1, endpointId).setParameter(2, sample).setParameter(3, pendingSample)
                .setParameter(4, limit).getResultList();
        List<Attempt> attempts = new ArrayList<>();
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            attempts.add(new Attempt((String) c[0], (String) c[1], ((Number) c[2]).intValue(),
                    SqlValues.instant(c[3]), integer(c[4]), integer(c[5]), (String) c[6], Boolean.TRUE.equals(c[8])));
        }
        return attempts;
    }

    /** One endpoint's attempts since {@code since} in intervals of {@code width}, oldest first; empty ones left out. */
    public List<Bucket> buckets(String endpointId, int sample, int pendingSample, Instant since, Duration width) {
        List<?> rows = em.createNativeQuery("select date_bin(cast(?5 as interval), a.started_at, ?4) as b, "
                + "count(*) filter (where a.ok), count(*) filter (where not a.ok), "
                + "percentile_cont(0.5) within group (order by a.duration_ms), "
                + "percentile_cont(0.95) within group (order by a.duration_ms) "
                + "from (select cast(?1 as text) as id) w, lateral (" + ATTEMPTS + ") a "
                + "where a.started_at >= ?4 group by b order by b")
                .setParameter(1, endpointId).setParameter(2, sample).setParameter(3, pendingSample)
                .setParameter(4, Timestamp.from(since)).setParameter(5, width.toSeconds() + " seconds")
                .getResultList();
        List<Bucket> buckets = new ArrayList<>();
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            buckets.add(new Bucket(SqlValues.instant(c[0]), number(c[1]), number(c[2]), rounded(c[3]),
                    rounded(c[4])));
        }
        return buckets;
    }

    /** The backlog of one owner, or of all ({@code owner} null): the {@code created_at} range and queue indexes. */
    public Backlog backlog(String owner, Instant since) {
        String mine = owner == null ? "" : " and owner = ?2";
        var retrying = em.createNativeQuery("select count(*) from delivery where created_at >= ?1 and status = "
                + "'pending' and attempts > 0" + mine).setParameter(1, Timestamp.from(since));
        var next = em.createNativeQuery("select min(next_attempt_at) from delivery where next_attempt_at is not null"
                + mine.replace("?2", "?1"));
        if (owner != null) {
            retrying.setParameter(2, owner);
            next.setParameter(1, owner);
        }
        return new Backlog(number(retrying.getSingleResult()), SqlValues.instant(next.getSingleResult()));
    }

    /**
     * When the {@code sample}-th newest delivery of an endpoint was created, or null when it has fewer: a chart read
     * from that sample covers only the time since.
     */
    public Instant sampleStart(String endpointId, int sample) {
        List<?> rows = em.createNativeQuery("select created_at from delivery where endpoint_id = ?1 order by seq desc "
                + "offset ?2 limit 1").setParameter(1, endpointId).setParameter(2, sample - 1).getResultList();
        return rows.isEmpty() ? null : SqlValues.instant(rows.get(0));
    }

    /** The copies of these replays by where they stand (the {@code delivery_replay} index). */
    public Map<String, Copies> copies(List<String> replayIds) {
        Map<String, Copies> found = new HashMap<>();
        replayIds.forEach(id -> found.put(id, Copies.NONE));
        if (replayIds.isEmpty()) {
            return found;
        }
        List<?> rows = em.createNativeQuery("""
                select replay_id, count(*) filter (where status = 'delivered'),
                       count(*) filter (where status in ('failed', 'replayed')), count(*) filter (where status = 'pending')
                from delivery where replay_id = any (cast(?1 as text[])) group by replay_id""")
                .setParameter(1, replayIds.toArray(String[]::new)).getResultList();
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            found.put((String) c[0], new Copies(number(c[1]), number(c[2]), number(c[3])));
        }
        return found;
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static Integer integer(Object value) {
        return value == null ? null : ((Number) value).intValue();
    }

    private static Long rounded(Object value) {
        return value == null ? null : Math.round(((Number) value).doubleValue());
    }
}
