package dev.git.webhooks.ingest;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.git.webhooks.testing.Db;

/**
 * A commit that PostgreSQL makes durable and whose answer never reaches the service: the "outcome unknown" of a
 * connection that breaks during the commit, made on purpose and for real. PostgreSQL is told to wait, after writing
 * each commit, for a synchronous standby that does not exist ({@code synchronous_standby_names}); a trigger names
 * the transaction that stores an event of one owner ({@code application_name}, local to that transaction); once that
 * transaction waits in its commit, its backend is terminated. The transaction has committed locally, and the
 * service's connection ends without an answer (PostgreSQL sends none: "The transaction has already committed
 * locally, but might not have been replicated to the standby").
 *
 * <p>While commits are held every other commit waits too (the service's heartbeat among them: keep the hold well
 * under {@code webhooks.outbox.instance-timeout}, or the instance takes itself for dead), and goes through as soon
 * as no standby is required any more, right after the kill. Needs a superuser ({@code ALTER SYSTEM}) and
 * {@code max_wal_senders > 0} (the default): the tests' embedded PostgreSQL has both. On an external server
 * ({@code WEBHOOKS_TEST_JDBC_URL}), a test JVM killed while commits are held leaves them held: run
 * {@code ALTER SYSTEM RESET synchronous_standby_names; SELECT pg_reload_conf();} there.
 */
final class LostCommitAnswer implements AutoCloseable {

    private final String owner;
    private final String tag;
    private final String function;
    private final String probe;
    private boolean holding;

    private LostCommitAnswer(String owner, String suffix) {
        this.owner = owner;
        this.tag = "webhooks-test-lost-commit-" + suffix;
        this.function = "webhooks_test_lost_commit_" + suffix;
        this.probe = "webhooks-test-syncrep-probe-" + suffix;
    }

    /** Marks the transactions that insert an event of {@code owner}. */
    static LostCommitAnswer forEventsOf(String owner) {
        LostCommitAnswer lost = new LostCommitAnswer(owner, UUID.randomUUID().toString().replace("-", "")
                .substring(0, 12));
        Db.update("create function " + lost.function + "() returns trigger language plpgsql as $$ begin "
                + "if new.owner = TG_ARGV[0] then perform set_config('application_name', TG_ARGV[1], true); end if; "
                + "return null; end $$");
        Db.update("create trigger " + lost.function + " after insert on event for each row execute function "
                + lost.function + "('" + owner.replace("'", "''") + "', '" + lost.tag + "')");
        return lost;
    }

    /**
     * From now on every commit waits for the missing standby. Answers once PostgreSQL is seen to hold one (a probe's
     * commit, then let go): the setting is read by each process on its own after the reload.
     */
    void holdCommits() throws Exception {
        Db.update("alter system set synchronous_standby_names = 'webhooks_test_missing_standby'");
        Db.query("select pg_reload_conf()");
        holding = true;
        ExecutorService probes = Executors.newSingleThreadExecutor();
        try {
            List<Future<?>> probe = new java.util.ArrayList<>(List.of(java.util.concurrent.CompletableFuture
                    .completedFuture(null)));
            await("PostgreSQL holds a commit for the missing standby (needs a superuser, max_wal_senders > 0)")
                    .atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
                        if (probe.get(0).isDone()) {
                            probe.get(0).get(); // a probe that failed says why
                            probe.set(0, probes.submit(() -> {
                                try (Connection connection = Db.connect(this.probe);
                                        Statement statement = connection.createStatement()) {
                                    // a transaction id and WAL of its own (catalog rows): its commit waits
                                    statement.execute("create temporary table webhooks_test_probe (x int)");
                                }
                                return null;
                            }));
                        }
                        return !waiting(this.probe).isEmpty();
                    });
            // a cancelled wait ends the probe's commit normally (committed locally, with a warning)
            Db.query("select pg_cancel_backend(pid) from pg_stat_activity where application_name = ?", this.probe);
            probe.get(0).get(10, TimeUnit.SECONDS);
        } finally {
            probes.shutdownNow();
        }
    }

    /**
     * Waits until the transaction storing the owner's event waits in its commit, then terminates its backend and lets
     * every other commit go; answers once the killed backend is gone (its commit visible).
     */
    void killItsConnectionInTheCommit(Duration within) {
        await("a store of an event of " + owner + " waits in its commit").atMost(within)
                .pollInterval(Duration.ofMillis(10)).until(() -> !waiting(tag).isEmpty());
        List<Map<String, Object>> killed = Db.query("""
                select pg_terminate_backend(pid) as killed from pg_stat_activity
                where application_name = ? and wait_event = 'SyncRep'""", tag);
        letCommitsGo();
        assertThat("one backend killed in its commit", killed, equalTo(List.of(Map.of("killed", true))));
        await("the killed backend is gone").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> Db.query("select 1 from pg_stat_activity where application_name = ?", tag).isEmpty());
    }

    @Override
    public void close() {
        try {
            letCommitsGo();
        } finally {
            Db.update("drop trigger if exists " + function + " on event");
            Db.update("drop function if exists " + function + "()");
        }
    }

    private void letCommitsGo() {
        if (holding) {
            Db.update("alter system reset synchronous_standby_names");
            Db.query("select pg_reload_conf()");
            holding = false;
        }
    }

    private static List<Map<String, Object>> waiting(String applicationName) {
        return Db.query("select pid from pg_stat_activity where application_name = ? and wait_event = 'SyncRep'",
                applicationName);
    }
}
