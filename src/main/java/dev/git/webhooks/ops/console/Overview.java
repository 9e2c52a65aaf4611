package dev.git.webhooks.ops.console;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.git.webhooks.common.SqlValues;
import io.quarkus.qute.TemplateData;

/**
 * The overview's figures, for one owner or all: deliveries a second (last 5 minutes) and the success ratio
 * (delivered against failed) of the deliveries created in the last hour (the {@code created_at} range index), the
 * outbox's queue and its oldest due delivery (the queue index), new dead letters, active replays.
 */
@ApplicationScoped
public class Overview {

    /** The figures shown. {@code successPercent} is null when nothing completed in the last hour. */
    @TemplateData
    public record Figures(double perSecond, Long successPercent, long delivered, long failed, long backlog,
            Instant oldestDue, long deadLetters, long activeReplays) {

        public String rate() {
            return String.format("%.2f", perSecond);
        }
    }

    private final EntityManager em;
    private final Clock clock;

    public Overview(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    @Transactional
    public Figures figures(String owner) {
        Instant now = clock.instant();
        Instant hour = now.minus(Duration.ofHours(1));
        String mine = owner == null ? "" : " and owner = ?3";
        Object[] counts = (Object[]) query("""
                select count(*) filter (where status = 'delivered' and completed_at >= ?2),
                       count(*) filter (where status = 'delivered'),
                       count(*) filter (where status in ('failed', 'replayed'))
                from delivery where created_at >= ?1""" + mine, hour, now.minus(Duration.ofMinutes(5)), owner)
                .getSingleResult();
        Object[] queue = (Object[]) query("""
                select count(*), min(next_attempt_at) filter (where next_attempt_at <= ?1 and claim is null)
                from delivery where next_attempt_at is not null and cast(?2 as timestamptz) is not null""" + mine,
                now, now, owner).getSingleResult();
        long delivered = number(counts[1]);
        long failed = number(counts[2]);
        long letters = owner == null ? number(query("select count(*) from dead_letter where state = 'new' "
                + "and cast(?1 as timestamptz) is not null and cast(?2 as timestamptz) is not null", now, now, null)
                .getSingleResult()) : 0;
        long replays = number(query("select count(*) from replay where state in ('pending', 'running') "
                + "and cast(?1 as timestamptz) is not null and cast(?2 as timestamptz) is not null" + mine, now, now,
                owner).getSingleResult());
        Long ratio = delivered + failed == 0 ? null : Math.round(100.0 * delivered / (delivered + failed));
        return new Figures(number(counts[0]) / 300.0, ratio, delivered, failed, number(queue[0]),
                SqlValues.instant(queue[1]), letters, replays);
    }

    private jakarta.persistence.Query query(String sql, Instant first, Instant second, String owner) {
        var query = em.createNativeQuery(sql).setParameter(1, Timestamp.from(first))
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
