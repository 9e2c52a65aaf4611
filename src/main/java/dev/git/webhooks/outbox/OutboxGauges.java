package dev.git.webhooks.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;

/**
 * {@code webhooks_outbox_pending} (deliveries in the queue: due, or claimed with a lease) and
 * {@code webhooks_outbox_oldest_due_seconds} (how late the oldest due one is, a lease that ran out included, of those
 * an owner would claim now: {@link #OLDEST_DUE}), read from the queue index.
 * Fresh deliveries held in an instance's memory are that instance's {@code webhooks_dispatcher_held}. Made at start-up
 * ({@code @Startup}), so that both gauges are scraped from the first scrape on: a bean made by its first scheduled
 * run registered them only then, and a scrape before it found no series.
 */
@Startup
@ApplicationScoped
public class OutboxGauges {

    private static final Logger LOG = Logger.getLogger(OutboxGauges.class);

    /**
     * The queue's rows, and the oldest one that is due and that an owner would claim now: not the rows of a key behind
     * its first (they wait for it, due since they were made, while it waits for a retry: one failing key of an
     * ordered endpoint made the queue look stalled for a day), nor a rate-limited endpoint's (they drain at the rate
     * its owner set; {@code webhooks_endpoint_held_back} counts them). Per endpoint, its first unkeyed row and its
     * keys' first rows, through the queue's indexes as the probe reads them: a few rows an endpoint, whatever its
     * backlog.
     */
    private static final String OLDEST_DUE = """
            select (select count(*) from delivery where next_attempt_at is not null),
                   (select min(x.next) from webhook_endpoint w cross join lateral (
                        select min(q.next_attempt_at) as next from (
                            select * from (select d.next_attempt_at from delivery d
                                           where d.endpoint_id = w.id and d.order_key is null
                                             and d.next_attempt_at is not null
                                           order by d.next_attempt_at limit 1) unkeyed
                            union all
                            select d.next_attempt_at from delivery d where d.id in (""" + OutboxStore.HEADS
            .formatted("w.id") + """

            )) q) x
            where w.rate_limit is null and x.next <= ?)""";

    private final DataSource dataSource;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestDueSeconds = new AtomicLong();

    public OutboxGauges(DataSource dataSource, MeterRegistry metrics, Clock clock) {
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.clock = clock;
    }

    @PostConstruct
    void register() {
        Gauge.builder("webhooks.outbox.pending", pending, AtomicLong::get)
                .description("Deliveries in the queue: due, or claimed with a lease").register(metrics);
        Gauge.builder("webhooks.outbox.oldest.due.seconds", oldestDueSeconds, AtomicLong::get)
                .description("How long the oldest due delivery has been waiting").register(metrics);
    }

    @Scheduled(every = "15s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void refresh() {
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(OLDEST_DUE)) {
            query.setTimestamp(1, Timestamp.from(now));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                pending.set(row.getLong(1));
                Timestamp oldest = row.getTimestamp(2);
                oldestDueSeconds.set(oldest == null ? 0 : Math.max(0, now.getEpochSecond()
                        - oldest.toInstant().getEpochSecond()));
            }
        } catch (SQLException e) {
            LOG.debug("Could not read the outbox gauges", e);
        }
    }
}
