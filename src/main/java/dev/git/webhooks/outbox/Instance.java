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

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.git.webhooks.common.Ids;

/**
 * This instance as a holder of claims. It has an id for its life (a new one after a restart, or after it was
 * taken for dead), registered in {@code outbox_instance} and kept alive by {@link #heartbeat}; every claim it makes
 * is a token {@code <id>.<n>}. An instance that stops beating is dead for the others after
 * {@code webhooks.outbox.instance-timeout}, and {@link Reaper} puts its claims back in the queue.
 */
@ApplicationScoped
public class Instance {

    private static final Logger LOG = Logger.getLogger(Instance.class);

    private final DataSource dataSource;
    private final OutboxConfig config;
    private final Clock clock;
    private final AtomicLong claims = new AtomicLong();
    private volatile String id = Ids.newId("i");
    private volatile boolean registered;
    /** Since when every heartbeat succeeded (null: the last one failed, or none yet). */
    private volatile Instant steadySince;

    public Instance(DataSource dataSource, OutboxConfig config, Clock clock) {
        this.dataSource = dataSource;
        this.config = config;
        this.clock = clock;
    }

    public String id() {
        return id;
    }

    /** A token for one claim (one batch of deliveries claimed together). */
    public String newClaim() {
        return id + "." + claims.incrementAndGet();
    }

    /**
     * Says that this instance is alive, and that none of its fresh claims is older than {@code oldestFresh}.
     * Answers false when the others took this instance for dead meanwhile: its claims are gone (any write about them
     * is ignored), and from now on it has a new id; the caller drops what it held.
     */
    public boolean heartbeat(Instant oldestFresh) {
        try {
            boolean alive = beat(oldestFresh);
            if (steadySince == null) {
                steadySince = clock.instant();
            }
            return alive;
        } catch (RuntimeException e) {
            steadySince = null;
            throw e;
        }
    }

    /**
     * Whether this instance's heartbeats have all succeeded for at least {@code period}. Only then may it judge that
     * another instance is dead: after an outage of the database every instance was silent alike, and each must first
     * have had {@code webhooks.outbox.instance-timeout} to say again that it lives. A short outage so takes no live
     * instance for dead, and nothing it sent is sent again.
     */
    public boolean steadyFor(java.time.Duration period) {
        Instant since = steadySince;
        return since != null && !since.plus(period).isAfter(clock.instant());
    }

    private boolean beat(Instant oldestFresh) {
        try (Connection connection = dataSource.getConnection()) {
            if (!registered) {
                register(connection, oldestFresh);
                return true;
            }
            try (PreparedStatement beat = connection.prepareStatement("""
                    update outbox_instance set alive_until = now() + ? * interval '1 millisecond', oldest_fresh = ?
                    where id = ?""")) {
                beat.setLong(1, config.instanceTimeout().toMillis());
                beat.setTimestamp(2, Timestamp.from(oldestFresh));
                beat.setString(3, id);
                if (beat.executeUpdate() == 1) {
                    return true;
                }
            }
            LOG.warnf("Instance %s was taken for dead (no heartbeat for %s); its claims went back to the queue",
                    id, config.instanceTimeout());
            id = Ids.newId("i");
            register(connection, oldestFresh);
            return false;
        } catch (SQLException e) {
            throw new OutboxException("the heartbeat of instance " + id + " failed", e);
        }
    }

    private void register(Connection connection, Instant oldestFresh) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into outbox_instance (id, started_at, alive_until, oldest_fresh)
                values (?, ?, now() + ? * interval '1 millisecond', ?)""")) {
            insert.setString(1, id);
            insert.setTimestamp(2, Timestamp.from(clock.instant()));
            insert.setLong(3, config.instanceTimeout().toMillis());
            insert.setTimestamp(4, Timestamp.from(oldestFresh));
            insert.executeUpdate();
        }
        registered = true;
        LOG.infof("This instance is %s", id);
    }

    /**
     * Leaves (a clean shutdown, after handing back what it held): the instance is dead from now on, so that the next
     * reaper gives back whatever fresh claim it could not hand back itself.
     */
    @Transactional
    public void leave() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement expire = connection.prepareStatement(
                        "update outbox_instance set alive_until = now() - interval '1 second' where id = ?")) {
            expire.setString(1, id);
            expire.executeUpdate();
            registered = false;
        } catch (SQLException e) {
            LOG.debugf("Could not deregister instance %s: %s", id, e.getMessage());
        }
    }

    /** Whether the database knows this instance as alive now. */
    public boolean alive() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select alive_until > now() from outbox_instance where id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        } catch (SQLException e) {
            return false;
        }
    }
}
