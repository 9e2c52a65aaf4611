package dev.git.webhooks.ops.console.overview;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import dev.git.webhooks.ops.health.words.Ratio;
import dev.git.webhooks.outbox.ActivityViews;
import dev.git.webhooks.outbox.OutboxViews;
import dev.git.webhooks.outbox.OutboxViews.Traffic;
import io.quarkus.qute.TemplateData;

/**
 * The overview's figures, for one owner or all: deliveries a second (last 5 minutes); the success ratio of the
 * deliveries created in the last hour, exact and counting the ones still being retried as not (yet) successful;
 * what waits to be sent, with the oldest overdue attempt or, when nothing is overdue, when the next one is due
 * ({@link OutboxViews#traffic}, {@link ActivityViews#backlog}); new dead letters, active replays.
 */
@ApplicationScoped
public class Overview {

    /** The figures shown; {@code ratio} says "—" (null percent) when nothing was tried in the last hour. */
    @TemplateData
    public record Figures(double perSecond, Ratio ratio, long delivered, long failed, long retrying, long backlog,
            Instant oldestDue, Instant nextDue, long deadLetters, long activeReplays) {

        public String rate() {
            return String.format(java.util.Locale.ROOT, "%.2f", perSecond);
        }
    }

    private final EntityManager em;
    private final OutboxViews views;
    private final ActivityViews activity;
    private final Clock clock;

    public Overview(EntityManager em, OutboxViews views, ActivityViews activity, Clock clock) {
        this.em = em;
        this.views = views;
        this.activity = activity;
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
        ActivityViews.Backlog backlog = activity.backlog(owner, hour);
        Ratio ratio = new Ratio(delivered, delivered + failed + backlog.retrying());
        return new Figures(traffic.deliveredRecently() / 300.0, ratio, delivered, failed, backlog.retrying(),
                traffic.queued(), traffic.oldestDue(), backlog.nextDue(), letters, replays);
    }

    private static long count(Query query) {
        return ((Number) query.getSingleResult()).longValue();
    }
}
