package dev.git.webhooks.ops.console.overview;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import dev.git.webhooks.outbox.OutboxViews;
import dev.git.webhooks.outbox.OutboxViews.Traffic;
import io.quarkus.qute.TemplateData;

/**
 * The overview's figures, for one owner or all: deliveries a second (last 5 minutes) and the success ratio
 * (delivered against failed) of the deliveries created in the last hour, the outbox's queue and its oldest due
 * delivery ({@link OutboxViews#traffic}), new dead letters, active replays.
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
    private final OutboxViews views;
    private final Clock clock;

    public Overview(EntityManager em, OutboxViews views, Clock clock) {
        this.em = em;
        this.views = views;
        this.clock = clock;
    }

    @Transactional
    public Figures figures(String owner) {
        Instant now = clock.instant();
        Instant hour = now.minus(Duration.ofHours(1));
        Traffic traffic = views.traffic(owner, hour, now.minus(Duration.ofMinutes(5)), now);
        long delivered = traffic.delivered();
        long failed = traffic.failed();
        long letters = owner == null ? count(em.createNativeQuery(
                "select count(*) from dead_letter where state = 'new'")) : 0;
        long replays = count(owner == null
                ? em.createNativeQuery("select count(*) from replay where state in ('pending', 'running')")
                : em.createNativeQuery("select count(*) from replay where state in ('pending', 'running') "
                        + "and owner = ?1").setParameter(1, owner));
        Long ratio = delivered + failed == 0 ? null : Math.round(100.0 * delivered / (delivered + failed));
        return new Figures(traffic.deliveredRecently() / 300.0, ratio, delivered, failed, traffic.queued(),
                traffic.oldestDue(), letters, replays);
    }

    private static long count(Query query) {
        return ((Number) query.getSingleResult()).longValue();
    }
}
