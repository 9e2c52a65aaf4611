package dev.git.webhooks.ops.health;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.git.webhooks.common.SqlValues;
import dev.git.webhooks.ops.OpsConfig;
import dev.git.webhooks.subscription.WebhookEndpoint;

/**
 * Health figures of a page of endpoints in one statement. Each endpoint's last hour is read from its newest
 * {@code webhooks.ops.health-sample} deliveries (its {@code (endpoint_id, seq)} index), so the cost per endpoint
 * is bounded however old and busy it is; an endpoint busier than that is measured over its newest deliveries.
 * Attempts are the failed ones (each has a row) and the successful ones (the last attempt of a delivered row).
 * Pending counts what waits in the outbox's queue (its {@code next_attempt_at} index), not what is in flight.
 */
@ApplicationScoped
public class HealthQueries {

    static final Duration WINDOW = Duration.ofHours(1);

    private static final String SQL = """
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
    private final Breakers breakers;
    private final OpsConfig config;
    private final Clock clock;

    public HealthQueries(EntityManager em, Breakers breakers, OpsConfig config, Clock clock) {
        this.em = em;
        this.breakers = breakers;
        this.config = config;
        this.clock = clock;
    }

    /** The health of these endpoints, in their order. */
    @Transactional
    public List<EndpointHealth> of(List<WebhookEndpoint> endpoints) {
        if (endpoints.isEmpty()) {
            return List.of();
        }
        Instant since = clock.instant().minus(WINDOW);
        List<?> rows = em.createNativeQuery(SQL)
                .setParameter(1, endpoints.stream().map(e -> e.id).toArray(String[]::new))
                .setParameter(2, config.healthSample())
                .setParameter(3, Timestamp.from(since))
                .getResultList();
        Map<String, Object[]> byId = new HashMap<>();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            byId.put((String) columns[0], columns);
        }
        List<EndpointHealth> health = new ArrayList<>();
        for (WebhookEndpoint e : endpoints) {
            health.add(health(e, byId.get(e.id)));
        }
        return health;
    }

    private EndpointHealth health(WebhookEndpoint e, Object[] row) {
        long attempts = number(row[1]);
        long successes = number(row[2]);
        Double ratio = attempts == 0 ? null : (double) successes / attempts;
        Long p95 = row[3] == null ? null : Math.round(((Number) row[3]).doubleValue());
        return new EndpointHealth(e.id, e.owner, e.url, e.status, e.active, e.disabledReason, e.failingSince,
                breakers.state(e.id), attempts, ratio, p95, (String) row[4], SqlValues.instant(row[5]), number(row[6]),
                SqlValues.instant(row[7]));
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
