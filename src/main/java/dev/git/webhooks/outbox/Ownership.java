package dev.git.webhooks.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which instance sends to which endpoints: endpoints fall in {@link #BUCKETS} buckets (a hash of their id, the
 * {@code bucket} column), and each bucket has at most one owner, a live instance ({@code endpoint_bucket}). An
 * instance takes free buckets up to its share of the live instances and gives back what it holds beyond (once
 * nothing of it is held any more); the reaper frees the buckets of a dead instance. Each statement stands alone.
 */
@ApplicationScoped
public class Ownership {

    public static final int BUCKETS = 64;

    /** How the buckets stand for one instance: live instances, buckets it owns, buckets nobody owns. */
    public record Survey(int live, int mine, int free) {
        /** Each live instance's share of the buckets, rounded up. */
        public int share() {
            return (BUCKETS + Math.max(1, live) - 1) / Math.max(1, live);
        }
    }

    private final DataSource dataSource;

    public Ownership(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Survey survey(String instanceId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        select (select count(*) from outbox_instance where alive_until > now()),
                               count(*) filter (where owner = ?),
                               count(*) filter (where owner is null
                                                or not exists (select 1 from outbox_instance i where i.id = b.owner))
                        from endpoint_bucket b""")) {
            query.setString(1, instanceId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return new Survey(row.getInt(1), row.getInt(2), row.getInt(3));
            }
        } catch (SQLException e) {
            throw new OutboxException("reading the owners of the buckets failed", e);
        }
    }

    /** Takes up to {@code count} free buckets (any, never a locked one); answers those taken. */
    public Set<Integer> acquire(String instanceId, int count) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update endpoint_bucket set owner = ?, owned_since = now()
                        where bucket in (select bucket from endpoint_bucket b
                                         where owner is null
                                            or not exists (select 1 from outbox_instance i where i.id = b.owner)
                                         order by random() limit ? for update skip locked)
                        returning bucket""")) {
            update.setString(1, instanceId);
            update.setInt(2, count);
            return buckets(update);
        } catch (SQLException e) {
            throw new OutboxException("taking buckets failed", e);
        }
    }

    /** The buckets this instance owns, as the database has it. */
    public Set<Integer> owned(String instanceId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select bucket from endpoint_bucket where owner = ?")) {
            query.setString(1, instanceId);
            return buckets(query);
        } catch (SQLException e) {
            throw new OutboxException("reading the buckets of " + instanceId + " failed", e);
        }
    }

    /** Gives these buckets back (nothing of them is held here any more). */
    public void free(String instanceId, Collection<Integer> buckets) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update endpoint_bucket set owner = null, owned_since = null
                        where owner = ? and bucket = any (?)""")) {
            update.setString(1, instanceId);
            update.setArray(2, connection.createArrayOf("int4", buckets.toArray()));
            update.executeUpdate();
        } catch (SQLException e) {
            throw new OutboxException("giving back buckets failed", e);
        }
    }

    /** Frees the buckets of a dead instance, in the reaper's transaction. */
    static int freeAll(Connection connection, String instanceId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "update endpoint_bucket set owner = null, owned_since = null where owner = ?")) {
            update.setString(1, instanceId);
            return update.executeUpdate();
        }
    }

    private static Set<Integer> buckets(PreparedStatement statement) throws SQLException {
        Set<Integer> buckets = new HashSet<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                buckets.add(rows.getInt(1));
            }
        }
        return buckets;
    }
}
