package dev.git.webhooks.ops.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.auth.ApiKey;
import dev.git.webhooks.common.Ids;

/**
 * Writes and reads the audit log. Each write is its own transaction, so that the record of an action stays even
 * when the action itself rolls back, and an action is written as {@code started} before it runs.
 */
@ApplicationScoped
public class AuditLog {

    /**
     * What a list shows: one key's entries, one action, one target, or everything; those written ({@code at}) from
     * {@code since} (inclusive) to {@code until} (exclusive) when given.
     */
    public record Filter(String keyId, String action, String target, Instant since, Instant until) {

        public Filter(String keyId, String action, String target) {
            this(keyId, action, target, null, null);
        }
    }

    private final Clock clock;

    public AuditLog(Clock clock) {
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public String started(String keyId, String action, String target, String method, String path) {
        return insert(keyId, action, target, method, path, AuditEntry.STARTED, null, null).id;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void finished(String id, String action, String target, int status, String outcome) {
        AuditEntry entry = AuditEntry.findById(id);
        if (entry != null) {
            entry.result = AuditEntry.resultOf(status);
            entry.status = status;
            entry.action = action != null ? action : entry.action;
            entry.target = target != null ? target : entry.target;
            entry.outcome = outcome;
            entry.finishedAt = clock.instant();
        }
    }

    /** An action refused before it could start (a missing scope, say). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void refused(String keyId, String action, String target, String method, String path, int status) {
        insert(keyId, action, target, method, path, AuditEntry.resultOf(status), status, clock.instant());
    }

    /** A key that acted, by id, with its name when it acted last. */
    public record Actor(String keyId, String name) {
    }

    /** The keys that acted, newest first (at most 200): a list filter's choices. */
    @Transactional
    public List<Actor> actors() {
        List<?> rows = AuditEntry.getEntityManager().createNativeQuery("""
                select key_id, (array_agg(key_name order by seq desc))[1] from audit_entry
                group by key_id order by max(seq) desc limit 200""").getResultList();
        return rows.stream().map(r -> (Object[]) r).map(c -> new Actor((String) c[0], (String) c[1])).toList();
    }

    @Transactional
    public List<AuditEntry> list(Filter filter, PageRequest page) {
        StringBuilder where = new StringBuilder("seq < ?1");
        List<Object> params = new ArrayList<>();
        params.add(page.before());
        add(where, params, "keyId", filter.keyId());
        add(where, params, "action", filter.action());
        add(where, params, "target", filter.target());
        if (filter.since() != null) {
            params.add(filter.since());
            where.append(" and at >= ?").append(params.size());
        }
        if (filter.until() != null) {
            params.add(filter.until());
            where.append(" and at < ?").append(params.size());
        }
        return AuditEntry.<AuditEntry>find(where + " order by seq desc", params.toArray())
                .page(0, page.fetchSize()).list();
    }

    private static void add(StringBuilder where, List<Object> params, String field, String value) {
        if (value != null && !value.isBlank()) {
            params.add(value);
            where.append(" and ").append(field).append(" = ?").append(params.size());
        }
    }

    private AuditEntry insert(String keyId, String action, String target, String method, String path,
            String result, Integer status, Instant finishedAt) {
        AuditEntry entry = new AuditEntry();
        entry.id = Ids.newId("aud");
        entry.keyId = keyId;
        ApiKey key = ApiKey.findById(keyId);
        entry.keyName = key == null ? null : key.name;
        entry.action = action;
        entry.target = target;
        entry.method = method;
        entry.path = path.length() > 500 ? path.substring(0, 500) : path;
        entry.result = result;
        entry.status = status;
        entry.at = clock.instant();
        entry.finishedAt = finishedAt;
        entry.persist();
        return entry;
    }
}
