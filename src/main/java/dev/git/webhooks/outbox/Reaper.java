package dev.git.webhooks.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.git.webhooks.common.Ids;


/**
 * Gives the claims and buckets of dead instances back. Its buckets become free for the live instances to take; the
 * rows it had claimed from the queue need nothing more (their endpoints' new owners take them at once, lease or
 * not); its fresh ones are in no index, and are found among the rows created since the dead instance's oldest
 * fresh claim (a range of the primary key, fresh claims' ids being time-ordered, bounded by
 * {@code webhooks.outbox.fresh-horizon}) and queued, their owners told. Every instance runs it; {@code SKIP LOCKED}
 * on the instance rows lets them share the work. A live instance gives back the fresh claims it made and never got
 * ({@link #releaseUnheld} for a batch read again, {@link #releaseOrphans} for any).
 */
@ApplicationScoped
public class Reaper {

    private static final Logger LOG = Logger.getLogger(Reaper.class);
    /** How far outside its creation time a fresh claim's id may say it was made (the two come from one clock read). */
    private static final long ID_MARGIN_MILLIS = 1_000;
    /** The condition on the primary key that {@link #bindCreatedWithin} binds. */
    private static final String ID_RANGE = " and id >= ? and id < ?";

    private final DataSource dataSource;
    private final Instance instance;
    private final OutboxConfig config;
    private final Clock clock;
    private volatile Boolean idsSortByTime;

    public Reaper(DataSource dataSource, Instance instance, OutboxConfig config, Clock clock) {
        this.dataSource = dataSource;
        this.instance = instance;
        this.config = config;
        this.clock = clock;
    }

    /** One run, on the delivery engine's ownership thread every {@code webhooks.outbox.reap-every}. */
    public void scheduled() {
        if (!instance.steadyFor(config.instanceTimeout())) {
            return; // just back from an outage (or starting): the others have not had the time to say they live
        }
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
                    select id, oldest_fresh, alive_until from outbox_instance where alive_until < now()
                    for update skip locked""");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    dead.add(rows.getString(1));
                    since.add(lookFrom(rows.getTimestamp(2), rows.getTimestamp(3)));
                }
            }
            int released = 0;
            Instant now = clock.instant();
            for (int i = 0; i < dead.size(); i++) {
                String prefix = dead.get(i) + ".";
                Timestamp oldestFresh = since.get(i);
                // its fresh claims (in no index) since its oldest one; the rows it leased are taken at once by the
                // endpoints' new owners (OutboxStore.claim), so nothing it held waits for a lease to run out
                boolean byId = idsSortByTime(connection);
                List<String> held = RowLocks.where(connection, """
                        next_attempt_at is null and status = 'pending' and created_at >= ? and starts_with(claim, ?)"""
                        + (byId ? ID_RANGE : ""), lock -> {
                            lock.setTimestamp(1, oldestFresh);
                            lock.setString(2, prefix);
                            if (byId) {
                                bindCreatedWithin(lock, 3, oldestFresh == null ? now : oldestFresh.toInstant(),
                                        now.plus(Duration.ofDays(1)));
                            }
                        });
                int count = queueNow(connection, held, prefix, now);
                int buckets = Ownership.freeAll(connection, dead.get(i));
                try (PreparedStatement delete = connection.prepareStatement(
                        "delete from outbox_instance where id = ?")) {
                    delete.setString(1, dead.get(i));
                    delete.executeUpdate();
                }
                released += count;
                LOG.infof("Instance %s is dead: %d of its deliveries went back to the queue, %d buckets of endpoints "
                        + "are free", dead.get(i), count, buckets);
            }
            return released;
        } catch (SQLException e) {
            throw new OutboxException("reaping dead instances failed", e);
        }
    }

    /**
     * From when a dead instance's fresh claims are looked for: the oldest it last said it held, and never later than
     * a fresh horizon before its last heartbeat. A live instance leases what it holds, or gives back what it does not,
     * once it is half a horizon old, so no fresh claim of it is older than that. Its word counts the batches committed
     * and not yet in its engine too (FreshInTransit); before it did, a clean clone's CrashRecoveryIT found 622 fresh
     * claims older than it, after the reaper had said "0 went back" and forgotten the instance: the floor stays.
     */
    private Timestamp lookFrom(Timestamp oldestFresh, Timestamp aliveUntil) {
        Instant floor = aliveUntil.toInstant().minus(config.instanceTimeout()).minus(config.freshHorizon());
        return oldestFresh == null || floor.isBefore(oldestFresh.toInstant()) ? Timestamp.from(floor) : oldestFresh;
    }

    /**
     * Queues the fresh deliveries of these events that instance {@code instanceId} claimed, except {@code held}
     * (an ingest batch read again after a commit whose outcome was unknown); answers how many.
     */
    @Transactional
    public int releaseUnheld(Collection<String> eventIds, String instanceId, Collection<String> held, Instant now) {
        try (Connection connection = dataSource.getConnection()) {
            List<String> ids = RowLocks.where(connection, """
                    event_id = any (?) and next_attempt_at is null and status = 'pending' and starts_with(claim, ?)
                      and not (id = any (?))""", lock -> {
                lock.setArray(1, Columns.texts(connection, eventIds));
                lock.setString(2, instanceId + ".");
                lock.setArray(3, Columns.texts(connection, held));
            });
            return queueNow(connection, ids, instanceId + ".", now);
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
        try (Connection connection = dataSource.getConnection()) {
            boolean byId = idsSortByTime(connection);
            List<String> ids = RowLocks.where(connection, """
                    created_at >= ? and created_at < ? and next_attempt_at is null and status = 'pending'
                      and starts_with(claim, ?) and not (id = any (?))""" + (byId ? ID_RANGE : ""), lock -> {
                lock.setTimestamp(1, Timestamp.from(from));
                lock.setTimestamp(2, Timestamp.from(to));
                lock.setString(3, instanceId + ".");
                lock.setArray(4, Columns.texts(connection, held));
                if (byId) {
                    bindCreatedWithin(lock, 5, from, to);
                }
            });
            return queueNow(connection, ids, instanceId + ".", now);
        } catch (SQLException e) {
            throw new OutboxException("releasing the unheld claims created since " + from + " failed", e);
        }
    }

    /**
     * Binds, at {@code index} and after, the primary-key range ({@link #ID_RANGE}) of the deliveries created in
     * {@code [from, to)}, with a second's margin on each side. A fresh claim's id is time-ordered
     * ({@link Ids#newTimeOrderedId}, made with its {@code created_at}), so its creation time is a range of the primary
     * key: the scans for fresh claims read that range alone. The creation time's own index is a BRIN, which reads every
     * page not yet summarized (all those written since the table's last vacuum: a million rows of a backlog just
     * written, every heartbeat, 0.3 s each).
     */
    private static void bindCreatedWithin(PreparedStatement lock, int index, Instant from, Instant to)
            throws SQLException {
        lock.setString(index, Ids.timeOrderedBound("dlv", from.toEpochMilli() - ID_MARGIN_MILLIS));
        lock.setString(index + 1, Ids.timeOrderedBound("dlv", to.toEpochMilli() + ID_MARGIN_MILLIS));
    }

    /**
     * Whether the collation of {@code delivery.id} sorts time-ordered ids by their time, as Java's string order does:
     * checked once. Every collation PostgreSQL ships does (digits before letters, one case); an ICU collation that
     * sorts digits as numbers does not, and then the scans read the BRIN range alone, slower but complete: a range of
     * ids in another order would miss fresh claims, and leave them pending.
     */
    private boolean idsSortByTime(Connection connection) throws SQLException {
        Boolean known = idsSortByTime;
        if (known == null) {
            String collation;
            try (PreparedStatement column = connection.prepareStatement("""
                    select quote_ident(n.nspname) || '.' || quote_ident(c.collname)
                    from pg_attribute a join pg_collation c on c.oid = a.attcollation
                         join pg_namespace n on n.oid = c.collnamespace
                    where a.attrelid = 'delivery'::regclass and a.attname = 'id'""");
                    ResultSet row = column.executeQuery()) {
                collation = row.next() ? row.getString(1) : "pg_catalog.\"default\"";
            }
            known = sortsByTime(connection, collation, clock.millis());
            if (!known) {
                LOG.warnf("The collation of delivery.id (%s) does not sort delivery ids by their time: the scans for "
                        + "fresh claims read the creation time's BRIN index alone, which is slower on a large table",
                        collation);
            }
            idsSortByTime = known;
        }
        return known;
    }

    /**
     * Whether {@code collation} (a quoted, qualified name) sorts time-ordered ids as Java's string order does, on ids
     * of times around {@code millis}, far apart and close together.
     */
    static boolean sortsByTime(Connection connection, String collation, long millis) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (int shift = 0; shift < 45; shift += 5) {
            for (long step : new long[] {-3, -1, 1, 17}) {
                long at = millis + step * (1L << shift);
                ids.add(Ids.newTimeOrderedId("dlv", at));
                ids.add(Ids.timeOrderedBound("dlv", at));
            }
        }
        List<String> databaseOrder = new ArrayList<>();
        try (PreparedStatement sort = connection.prepareStatement(
                "select u from unnest(?::text[]) u order by u collate " + collation)) {
            sort.setArray(1, Columns.texts(connection, ids));
            try (ResultSet rows = sort.executeQuery()) {
                while (rows.next()) {
                    databaseOrder.add(rows.getString(1));
                }
            }
        }
        return databaseOrder.equals(ids.stream().sorted().toList());
    }

    /**
     * Puts these locked deliveries back in the queue, due now, if they are still pending under a claim of
     * {@code prefix} (an instance's claims), and tells their endpoints' owners; answers how many.
     */
    private static int queueNow(Connection connection, List<String> ids, String prefix, Instant now)
            throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement update = connection.prepareStatement("""
                update delivery set claim = null, next_attempt_at = ?
                where id = any (?) and status = 'pending' and starts_with(claim, ?)
                returning endpoint_id""")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setArray(2, Columns.texts(connection, ids));
            update.setString(3, prefix);
            java.util.Set<String> endpoints = new java.util.HashSet<>();
            int count = 0;
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    endpoints.add(rows.getString(1));
                    count++;
                }
            }
            Signals.due(connection, endpoints);
            return count;
        }
    }
}
