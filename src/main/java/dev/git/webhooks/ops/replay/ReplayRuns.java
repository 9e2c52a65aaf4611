package dev.git.webhooks.ops.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.TimeRange;
import dev.git.webhooks.common.SqlValues;
import dev.git.webhooks.ops.Replay;
import dev.git.webhooks.outbox.ActivityViews;
import dev.git.webhooks.outbox.ActivityViews.Copies;

/**
 * Replays as people started them: a bulk request over many endpoints is one run (its batch), a replay of one
 * endpoint another; dry runs apart from live ones. A run's progress counts what it copied and what became of the
 * copies (delivered, failed, still being sent), read through the outbox's read API.
 */
@ApplicationScoped
public class ReplayRuns {

    /**
     * A run: its id (the batch's, or the replay's), how many endpoints it covers (and the one when it is one), its
     * filter, the deliveries it matched when it was made, those it has walked and copied (which can end below or above
     * the total: docs/api.md), its copies, and whether it is still copying or was cancelled.
     */
    public record Run(String id, boolean batch, String owner, int endpoints, String endpointId, String status,
            List<String> events, Instant since, Instant until, long total, long processed, boolean active,
            boolean cancelled, boolean dryRun, Instant createdAt, Instant completedAt, long seq, Copies copies) {

        /** How far the copying got, in whole percent (100 for a run that matched nothing, or that has completed). */
        public long percent() {
            return total == 0 || (!active && !cancelled) ? 100 : Math.min(100, Math.round(100.0 * processed / total));
        }

        /** What it has not processed yet: what cancelling it leaves unsent. */
        public long remaining() {
            return Math.max(0, total - processed);
        }

        public long copied() {
            return copies.delivered() + copies.failed() + copies.sending();
        }

        /** pending, running, completed or cancelled, as one word for the whole run. */
        public String state() {
            return active ? (processed == 0 ? Replay.PENDING : Replay.RUNNING)
                    : cancelled ? Replay.CANCELLED : Replay.COMPLETED;
        }

        /** Whether a page showing it should follow it: it copies, or its copies are still being sent. */
        public boolean live() {
            return active || copies.sending() > 0;
        }
    }

    private static final String RUNS = """
            select coalesce(batch_id, id) as run, batch_id is not null as batch, min(owner), count(*),
                   min(endpoint_id), min(status_filter), min(since), min(until), sum(total),
                   sum(least(processed, total)), bool_or(state in ('pending', 'running')),
                   bool_or(state = 'cancelled'), bool_and(dry_run), min(created_at), max(completed_at), max(seq),
                   min(array_to_string(events, ',')), string_agg(id, ',')
            from replay where %s
            group by coalesce(batch_id, id), batch_id is not null""";

    private final EntityManager em;
    private final ActivityViews activity;

    public ReplayRuns(EntityManager em, ActivityViews activity) {
        this.em = em;
        this.activity = activity;
    }

    /** Runs newest first, live or dry, of one owner (null: every owner's) and of one endpoint (null: any). */
    @Transactional
    public List<Run> list(String owner, String endpointId, boolean dryRun, PageRequest page) {
        return list(owner, endpointId, dryRun, null, TimeRange.ANY, page);
    }

    /**
     * Runs newest first, as {@link #list(String, String, boolean, PageRequest)}, in one state ({@link Run#state()},
     * null: any) and created in {@code created}.
     */
    @Transactional
    public List<Run> list(String owner, String endpointId, boolean dryRun, String state, TimeRange created,
            PageRequest page) {
        List<Object> params = new ArrayList<>(List.of(dryRun));
        StringBuilder where = new StringBuilder("dry_run = ?1");
        if (owner != null) {
            params.add(owner);
            where.append(" and owner = ?").append(params.size());
        }
        if (endpointId != null) {
            params.add(endpointId);
            where.append(" and endpoint_id = ?").append(params.size());
        }
        if (created.since() != null) {
            params.add(created.since());
            where.append(" and created_at >= ?").append(params.size());
        }
        if (created.until() != null) {
            params.add(created.until());
            where.append(" and created_at < ?").append(params.size());
        }
        params.add(page.before());
        String sql = RUNS.formatted(where) + " having max(seq) < ?" + params.size() + inState(state)
                + " order by max(seq) desc limit ?" + (params.size() + 1);
        params.add(page.fetchSize());
        return runs(sql, params);
    }

    /** The run's state ({@link Run#state()}) as a condition on its group; none for null. */
    private static String inState(String state) {
        if (state == null) {
            return "";
        }
        String active = "bool_or(state in ('pending', 'running'))";
        String cancelled = "bool_or(state = 'cancelled')";
        String processed = "coalesce(sum(least(processed, total)), 0)";
        return " and " + switch (state) {
            case Replay.PENDING -> active + " and " + processed + " = 0";
            case Replay.RUNNING -> active + " and " + processed + " > 0";
            case Replay.CANCELLED -> "not " + active + " and " + cancelled;
            case Replay.COMPLETED -> "not " + active + " and not " + cancelled;
            default -> throw new IllegalArgumentException("no replay state " + state);
        };
    }

    /** One run by its id (a replay's or a batch's) if {@code owner} (null: any) has it. */
    @Transactional
    public java.util.Optional<Run> get(String owner, String id) {
        List<Object> params = new ArrayList<>(List.of(id));
        String where = (id.startsWith("rpb_") ? "batch_id" : "id") + " = ?1";
        if (owner != null) {
            params.add(owner);
            where += " and owner = ?2";
        }
        return runs(RUNS.formatted(where), params).stream().findFirst();
    }

    /** The replays of a batch, newest first, one page. */
    @Transactional
    public List<Replay> replaysOf(String batchId, PageRequest page) {
        return Replay.<Replay>find("batchId = ?1 and seq < ?2 order by seq desc", batchId, page.before())
                .page(0, page.fetchSize()).list();
    }

    /** The replays of a batch that are still pending or running, all of them (to cancel the batch). */
    @Transactional
    public List<Replay> activeOf(String batchId) {
        return Replay.<Replay>list("batchId = ?1 and state in (?2, ?3)", batchId, Replay.PENDING, Replay.RUNNING);
    }

    /** The copies of these replays. */
    @Transactional
    public Map<String, Copies> copies(List<String> replayIds) {
        return activity.copies(replayIds);
    }

    private List<Run> runs(String sql, List<Object> params) {
        Query query = em.createNativeQuery(sql);
        for (int i = 0; i < params.size(); i++) {
            query.setParameter(i + 1, params.get(i));
        }
        List<Object[]> rows = new ArrayList<>();
        List<String> replayIds = new ArrayList<>();
        for (Object row : query.getResultList()) {
            Object[] c = (Object[]) row;
            rows.add(c);
            replayIds.addAll(List.of(((String) c[17]).split(",")));
        }
        Map<String, Copies> copies = activity.copies(replayIds);
        List<Run> runs = new ArrayList<>();
        for (Object[] c : rows) {
            long delivered = 0;
            long failed = 0;
            long sending = 0;
            for (String id : ((String) c[17]).split(",")) {
                Copies k = copies.get(id);
                delivered += k.delivered();
                failed += k.failed();
                sending += k.sending();
            }
            int endpoints = ((Number) c[3]).intValue();
            String events = (String) c[16];
            runs.add(new Run((String) c[0], Boolean.TRUE.equals(c[1]), (String) c[2], endpoints,
                    endpoints == 1 ? (String) c[4] : null, (String) c[5],
                    events == null || events.isEmpty() ? List.of() : List.of(events.split(",")),
                    SqlValues.instant(c[6]), SqlValues.instant(c[7]), number(c[8]), number(c[9]),
                    Boolean.TRUE.equals(c[10]), Boolean.TRUE.equals(c[11]), Boolean.TRUE.equals(c[12]),
                    SqlValues.instant(c[13]), SqlValues.instant(c[14]), number(c[15]),
                    new Copies(delivered, failed, sending)));
        }
        return runs;
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
