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
 * The overview's figures, for one owner or all: deliveries a second (last 5 minutes), success ratio (last hour,
 * delivered against failed), outbox backlog and its oldest due delivery, new dead letters, active replays. Each is
 * one query on a partial index (delivered by completion time, failed by seq, pending by due time).
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
        String mine = owner == null ? "" : " and owner = ?2";
        long recent = count("select count(*) from delivery where status = 'delivered' and completed_at >= ?1" + mine,
                now.minus(Duration.ofMinutes(5)), owner);
        long delivered = count("select count(*) from delivery where status = 'delivered' and completed_at >= ?1"
                + mine, now.minus(Duration.ofHours(1)), owner);
        long failed = count("select count(*) from delivery where status = 'failed' and completed_at >= ?1" + mine,
                now.minus(Duration.ofHours(1)), owner);
        long backlog = count("select count(*) from delivery where status = 'pending' and cast(?1 as timestamptz) is not null" + mine, now,
                owner);
        var oldestQuery = em.createNativeQuery("select min(next_attempt_at) from delivery where status = 'pending' "
                + "and next_attempt_at <= ?1" + mine).setParameter(1, Timestamp.from(now));
        if (owner != null) {
            oldestQuery.setParameter(2, owner);
        }
        Object oldest = oldestQuery.getSingleResult();
        long letters = owner == null ? count("select count(*) from dead_letter where state = 'new' and cast(?1 as timestamptz) is not null",
                now, null) : 0;
        long replays = count("select count(*) from replay where state in ('pending', 'running') and cast(?1 as timestamptz) is not null"
                + mine, now, owner);
        Long ratio = delivered + failed == 0 ? null : Math.round(100.0 * delivered / (delivered + failed));
        return new Figures(recent / 300.0, ratio, delivered, failed, backlog, SqlValues.instant(oldest), letters,
                replays);
    }

    private long count(String sql, Instant at, String owner) {
        var query = em.createNativeQuery(sql).setParameter(1, Timestamp.from(at));
        if (owner != null) {
            query.setParameter(2, owner);
        }
        return ((Number) query.getSingleResult()).longValue();
    }
}
