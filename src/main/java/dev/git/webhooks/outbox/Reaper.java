package dev.git.webhooks.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * Gives the claims of dead instances back to the queue. Claimed-from-the-queue deliveries need nothing (their lease
 * runs out); fresh ones are in no index, and are found among the rows created since the dead instance's oldest
 * fresh claim (a BRIN range on {@code created_at}, bounded by {@code webhooks.outbox.fresh-horizon}). Every instance
 * runs it; {@code SKIP LOCKED} on the instance rows lets them share the work. A live instance gives back the fresh
 * claims it made and never got ({@link #releaseUnheld} for a batch read again, {@link #releaseOrphans} for any).
 */
@ApplicationScoped
public class Reaper {

    private static final Logger LOG = Logger.getLogger(Reaper.class);

    private final DataSource dataSource;
    private final Clock clock;

    public Reaper(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Scheduled(every = "${webhooks.outbox.reap-every:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            reap();
        } catch (RuntimeException e) {
            LOG.debugf("Reaping dead instances failed; next run tries again: %s", e.getMessage());
        }
    }

    /** Answers how many deliveries went back to the queue. */
    @Transactional
    public int reap() {
        try (Connection connection = dataSource.getConnection()) {
            List<String> dead = new ArrayList<>();
            List<Timestamp> since = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("""
                    select id, oldest_fresh from outbox_instance where alive_until < now()
                    for update skip locked""");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    dead.add(rows.getString(1));
                    since.add(rows.getTimestamp(2));
                }
            }
            int released = 0;
            for (int i = 0; i < dead.size(); i++) {
                try (PreparedStatement release = connection.prepareStatement("""
                        update delivery set claim = null, next_attempt_at = ?
                        where next_attempt_at is null and status = 'pending' and created_at >= ?
                          and starts_with(claim, ?)""");
                        PreparedStatement delete = connection.prepareStatement(
                                "delete from outbox_instance where id = ?")) {
                    release.setTimestamp(1, Timestamp.from(clock.instant()));
                    release.setTimestamp(2, since.get(i));
                    release.setString(3, dead.get(i) + ".");
                    int count = release.executeUpdate();
                    delete.setString(1, dead.get(i));
                    delete.executeUpdate();
                    released += count;
                    LOG.infof("Instance %s is dead: %d of its deliveries went back to the queue", dead.get(i), count);
                }
            }
            return released;
        } catch (SQLException e) {
            throw new OutboxException("reaping dead instances failed", e);
        }
    }

    /**
     * Queues the fresh deliveries of these events that instance {@code instanceId} claimed, except {@code held}
     * (see {@code ClaimKeeper.releaseUnheld}); answers how many.
     */
    @Transactional
    public int releaseUnheld(Collection<String> eventIds, String instanceId, Collection<String> held, Instant now) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update delivery set claim = null, next_attempt_at = ?
                        where event_id = any (?) and next_attempt_at is null and status = 'pending'
                          and starts_with(claim, ?) and not (id = any (?))""")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setArray(2, Columns.texts(connection, eventIds));
            update.setString(3, instanceId + ".");
            update.setArray(4, Columns.texts(connection, held));
            return update.executeUpdate();
        } catch (SQLException e) {
            throw new OutboxException("releasing the unheld claims of " + eventIds.size() + " events failed", e);
        }
    }

    /**
     * Queues the fresh deliveries that instance {@code instanceId} claimed, created in {@code [from, to)}, that still
     * have no lease, except {@code held}. A live instance gives every fresh delivery it holds a lease once it is older
     * than half the fresh horizon; one still without is held by no one (its store's commit seemed to fail, or the
     * hand-off after it never happened). Answers how many.
     */
    @Transactional
    public int releaseOrphans(String instanceId, Instant from, Instant to, Collection<String> held, Instant now) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update delivery set claim = null, next_attempt_at = ?
                        where created_at >= ? and created_at < ? and next_attempt_at is null and status = 'pending'
                          and starts_with(claim, ?) and not (id = any (?))""")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setTimestamp(2, Timestamp.from(from));
            update.setTimestamp(3, Timestamp.from(to));
            update.setString(4, instanceId + ".");
            update.setArray(5, Columns.texts(connection, held));
            return update.executeUpdate();
        } catch (SQLException e) {
            throw new OutboxException("releasing the unheld claims created since " + from + " failed", e);
        }
    }
}
