package dev.git.webhooks.subscription;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * The ownership check of an endpoint (SPEC §13), as its row keeps it. An endpoint that asks for it is
 * {@code pending} from its creation, a URL change or a new request, until a check says {@code verified} or
 * {@code failed}. While it is not verified the endpoint is also {@code disabled} with the reason {@code unverified}:
 * everything that leaves a disabled endpoint out (the fan-out of every instance, including those of an older version,
 * claims, replays, pings) leaves it out, with no check of its own. Its deliveries already queued wait, and go to the
 * verified URL.
 */
@ApplicationScoped
public class OwnershipCheck {

    public static final String PENDING = "pending";
    public static final String VERIFIED = "verified";
    public static final String FAILED = "failed";
    /** The {@code disabled_reason} of an endpoint held back until its ownership is verified. */
    public static final String UNVERIFIED = "unverified";
    /** The reason of the {@link WebhookEndpoints.Stopped} of an enabled endpoint that goes pending. */
    public static final String STOPPED = "endpoint_unverified";

    /**
     * An endpoint whose check this instance holds until {@code leaseUntil}: its outcome is recorded only under that
     * lease (a new request for a check, or another instance's claim after the lease, takes it over).
     */
    public record Claimed(String endpointId, Instant since, Instant leaseUntil) {
    }

    /** A check recorded: whether it enabled the endpoint (which is then taking deliveries if active). */
    public record Recorded(String owner, boolean enabled, boolean active, Instant since) {
    }

    private final DataSource dataSource;

    public OwnershipCheck(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Starts a check: pending from now (or still from when the check that has not passed yet started, so that the
     * events missed since then are recovered), and held back unless it is already disabled. Answers whether it stopped
     * an enabled endpoint.
     */
    static boolean require(WebhookEndpoint e, Instant now) {
        if (!PENDING.equals(e.ownershipState) && !FAILED.equals(e.ownershipState)) {
            e.ownershipSince = now;
        }
        e.ownershipState = PENDING;
        e.ownershipError = null;
        e.ownershipLeaseUntil = null;
        if (WebhookEndpoint.ENABLED.equals(e.status)) {
            e.status = WebhookEndpoint.DISABLED;
            e.disabledReason = UNVERIFIED;
            return true;
        }
        return false;
    }

    /** No check any more: an endpoint held back only by it takes deliveries again. */
    static void drop(WebhookEndpoint e) {
        e.ownershipState = null;
        e.ownershipSince = null;
        e.ownershipCheckedAt = null;
        e.ownershipError = null;
        e.ownershipLeaseUntil = null;
        if (heldBack(e)) {
            e.status = WebhookEndpoint.ENABLED;
            e.disabledReason = null;
        }
    }

    /** Disabled only because its ownership is not verified yet. */
    static boolean heldBack(WebhookEndpoint e) {
        return WebhookEndpoint.DISABLED.equals(e.status) && UNVERIFIED.equals(e.disabledReason);
    }

    /** Whether it asked for a check that has not passed (yet). */
    public static boolean unverified(WebhookEndpoint e) {
        return PENDING.equals(e.ownershipState) || FAILED.equals(e.ownershipState);
    }

    /**
     * When a failed check is tried again: {@code after} once it failed, then after as long as it has been failing
     * (the waits about double) up to {@code max}, for {@code retryFor} after it went pending.
     */
    public record Retry(Duration after, Duration max, Duration retryFor) {
    }

    /**
     * Takes up to {@code limit} checks that nobody holds (or whose holder's lease ended): the pending ones first,
     * oldest first, then the failed ones due to be tried again ({@link Retry}); holds them until {@code leaseUntil}.
     * Rows locked by another instance's claim are skipped.
     */
    @Transactional
    public List<Claimed> claimDue(Instant now, Instant leaseUntil, int limit, Retry retry) {
        List<Claimed> claimed = new ArrayList<>();
        Instant lease = leaseUntil.truncatedTo(ChronoUnit.MICROS); // as PostgreSQL keeps it: record() compares it
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update webhook_endpoint set ownership_lease_until = ?
                        where id in (select id from webhook_endpoint
                                     where (ownership_state = 'pending'
                                            or ownership_state = 'failed' and ownership_since > ?
                                               and ownership_checked_at + least(greatest(
                                                   ownership_checked_at - ownership_since, ?::interval), ?::interval)
                                                   <= ?)
                                       and (ownership_lease_until is null or ownership_lease_until <= ?)
                                     order by ownership_state = 'failed', ownership_since
                                     limit ? for update skip locked)
                        returning id, ownership_since""")) {
            update.setTimestamp(1, Timestamp.from(lease));
            update.setTimestamp(2, Timestamp.from(now.minus(retry.retryFor())));
            update.setString(3, retry.after().toMillis() + " milliseconds");
            update.setString(4, retry.max().toMillis() + " milliseconds");
            update.setTimestamp(5, Timestamp.from(now));
            update.setTimestamp(6, Timestamp.from(now));
            update.setInt(7, limit);
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    claimed.add(new Claimed(rows.getString(1), rows.getTimestamp(2).toInstant(), lease));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("claiming ownership checks failed", e);
        }
        return claimed;
    }

    /**
     * Records the outcome of the check of {@code claimed} for {@code url} ({@code error} null: it passed), unless the
     * endpoint moved on meanwhile (another URL, a new check asked for, its lease taken over, deleted). A pass enables
     * an endpoint held back only by the check. Runs in the caller's transaction, so that what follows a pass (the
     * recover) commits with it. It moves the endpoint's version, as every change of its status does: a disable that
     * read the endpoint before it then fails on its version instead of leaving it enabled with the reason "owner".
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Recorded> record(Claimed claimed, String url, String error, Instant now) {
        boolean passed = error == null;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update webhook_endpoint set ownership_state = ?, ownership_checked_at = ?,
                               ownership_error = ?, ownership_lease_until = null, updated_at = ?,
                               version = version + 1,
                               status = case when ? and status = 'disabled' and disabled_reason = 'unverified'
                                             then 'enabled' else status end,
                               disabled_reason = case when ? and status = 'disabled'
                                                       and disabled_reason = 'unverified'
                                                      then null else disabled_reason end
                        where id = ? and ownership_state in ('pending', 'failed') and ownership_since = ? and url = ?
                          and ownership_lease_until = ?
                        returning owner, status, active""")) {
            update.setString(1, passed ? VERIFIED : FAILED);
            update.setTimestamp(2, Timestamp.from(now));
            update.setString(3, error);
            update.setTimestamp(4, Timestamp.from(now));
            update.setBoolean(5, passed);
            update.setBoolean(6, passed);
            update.setString(7, claimed.endpointId());
            update.setTimestamp(8, Timestamp.from(claimed.since()));
            update.setString(9, url);
            update.setTimestamp(10, Timestamp.from(claimed.leaseUntil()));
            try (ResultSet rows = update.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Recorded(rows.getString(1),
                        passed && WebhookEndpoint.ENABLED.equals(rows.getString(2)), rows.getBoolean(3),
                        claimed.since()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("recording the ownership check of " + claimed.endpointId() + " failed", e);
        }
    }
}
