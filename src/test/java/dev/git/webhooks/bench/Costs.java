package dev.git.webhooks.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the deliveries of a run cost, read from the machine: PostgreSQL's WAL bytes and row writes (inserts, updates,
 * deletes of the service's tables, and how many updates were in place), commits, and the CPU time of the service's
 * process and of every PostgreSQL process (from /proc, in clock ticks of 10 ms).
 */
final class Costs {

    /** One reading; {@link #minus} gives what happened between two. */
    record Reading(long walBytes, long rowWrites, long updates, long hotUpdates, long commits,
            long serviceCpuMillis, long postgresCpuMillis) {

        Reading minus(Reading before) {
            return new Reading(walBytes - before.walBytes, rowWrites - before.rowWrites, updates - before.updates,
                    hotUpdates - before.hotUpdates, commits - before.commits,
                    serviceCpuMillis - before.serviceCpuMillis, postgresCpuMillis - before.postgresCpuMillis);
        }

        String perDelivery(long deliveries) {
            return "WAL %.0f bytes, %.2f row writes (%.0f%% of updates in place), %.3f commits; CPU per 1,000 "
                    .formatted((double) walBytes / deliveries, (double) rowWrites / deliveries,
                            100.0 * hotUpdates / Math.max(1, updates), (double) commits / deliveries)
                    + "deliveries: service %.0f ms, PostgreSQL %.0f ms, together %.0f ms".formatted(
                            1000.0 * serviceCpuMillis / deliveries, 1000.0 * postgresCpuMillis / deliveries,
                            1000.0 * (serviceCpuMillis + postgresCpuMillis) / deliveries);
        }
    }

    private static final String TABLES = "('delivery', 'delivery_attempt', 'event', 'webhook_endpoint', "
            + "'outbox_instance')";

    private final String url;
    private final String user;
    private final String password;
    private final long servicePid;
    private final Path postgresData;

    Costs(String url, String user, String password, long servicePid, String postgresData) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.servicePid = servicePid;
        this.postgresData = postgresData == null ? null : Path.of(postgresData);
    }

    Reading read() throws SQLException, IOException, InterruptedException {
        Thread.sleep(1500); // PostgreSQL 14 publishes table statistics every 500 ms
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            long wal = single(s, "select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
            long writes = single(s, "select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint "
                    + "from pg_stat_user_tables where relname in " + TABLES);
            long hot = single(s, "select coalesce(sum(n_tup_hot_upd), 0)::bigint from pg_stat_user_tables "
                    + "where relname in " + TABLES);
            long updates = single(s, "select coalesce(sum(n_tup_upd), 0)::bigint from pg_stat_user_tables "
                    + "where relname in " + TABLES);
            long commits = single(s, "select xact_commit from pg_stat_database where datname = current_database()");
            return new Reading(wal, writes, updates, hot, commits, cpuMillis(servicePid, false), postgresCpuMillis());
        }
    }

    private long postgresCpuMillis() throws IOException {
        if (postgresData == null) {
            return 0;
        }
        long postmaster = Long.parseLong(Files.readAllLines(postgresData.resolve("postmaster.pid")).get(0).trim());
        long total = cpuMillis(postmaster, true);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String[] stat = stat(Long.parseLong(proc.getFileName().toString()));
                if (stat != null && Long.parseLong(stat[3]) == postmaster) {
                    total += cpuMillis(Long.parseLong(proc.getFileName().toString()), false);
                }
            }
        }
        return total;
    }

    /** utime + stime (and the waited-for children's, for the postmaster, whose backends come and go). */
    private static long cpuMillis(long pid, boolean withChildren) {
        String[] stat = stat(pid);
        if (stat == null) {
            return 0;
        }
        long ticks = Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
        if (withChildren) {
            ticks += Long.parseLong(stat[15]) + Long.parseLong(stat[16]);
        }
        return ticks * 10;
    }

    /**
     * CPU time (ms) of the process {@code pid} per kind of thread: its name in /proc (cut to 15 characters by the
     * kernel) without a trailing number, so that "C2 CompilerThre" and "executor-thread" each sum their pool.
     */
    static Map<String, Long> cpuMillisByThread(long pid) throws IOException {
        return cpuMillisByThread(pid, false);
    }

    /**
     * The CPU time of a process's threads by name (numbers dropped, so that a pool is one entry): user and system
     * time, or with {@code systemOnly} the time in the kernel alone (system calls: sockets, epoll).
     */
    static Map<String, Long> cpuMillisByThread(long pid, boolean systemOnly) throws IOException {
        Map<String, Long> byName = new java.util.TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip().replaceAll("[-#]?\\d+$", "");
                    // the thread's own line: /proc/<pid>/stat is the whole process's (the main thread's id is the pid)
                    String[] stat = stat(task.resolve("stat"), pid);
                    if (stat != null) {
                        long ticks = (systemOnly ? 0 : Long.parseLong(stat[13])) + Long.parseLong(stat[14]);
                        byName.merge(name, ticks * 10, Long::sum);
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return byName;
    }

    /** /proc/pid/stat split after the command name (which may hold spaces); index 0 is the pid. */
    private static String[] stat(long pid) {
        return stat(Path.of("/proc", String.valueOf(pid), "stat"), pid);
    }

    /** A stat file of {@code pid} (its own, or one of its threads'), split as {@link #stat(long)}; null if gone. */
    private static String[] stat(Path file, long pid) {
        try {
            String text = Files.readString(file);
            String rest = text.substring(text.lastIndexOf(')') + 2);
            String[] fields = rest.split(" ");
            String[] out = new String[fields.length + 2];
            out[0] = String.valueOf(pid);
            out[1] = "";
            System.arraycopy(fields, 0, out, 2, fields.length);
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
