package dev.git.webhooks.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.git.webhooks.testing.Infrastructure;

/**
 * Samples {@code pg_stat_activity} every 20 ms while a round runs: per state, wait event and statement (its first
 * words), how many samples found a session of the service (or an autovacuum worker) there. What the database's
 * sessions spend their time on, which a profile of the service's JVM shows only as time inside the JDBC driver.
 */
final class WaitSampler {

    private static final String SESSIONS = """
            select coalesce(state, '?') || ' ' || coalesce(wait_event_type || ':' || wait_event, 'on CPU') || ' '
                   || regexp_replace(left(query, 48), '\\s+', ' ', 'g')
            from pg_stat_activity
            where pid <> pg_backend_pid() and backend_type in ('client backend', 'autovacuum worker')
              and coalesce(state, '?') <> 'idle'""";

    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger samples = new AtomicInteger();
    private final Thread thread;

    private WaitSampler() {
        thread = new Thread(this::sample, "pg-wait-sampler");
        thread.setDaemon(true);
    }

    static WaitSampler start() {
        WaitSampler sampler = new WaitSampler();
        sampler.thread.start();
        return sampler;
    }

    private void sample() {
        try (Connection c = DriverManager.getConnection(Infrastructure.jdbcUrl(), Infrastructure.username(),
                Infrastructure.password()); PreparedStatement select = c.prepareStatement(SESSIONS)) {
            while (running.get()) {
                samples.incrementAndGet();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        seen.computeIfAbsent(rows.getString(1), k -> new AtomicInteger()).incrementAndGet();
                    }
                }
                Thread.sleep(20);
            }
        } catch (Exception e) {
            seen.computeIfAbsent("sampler failed: " + e, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** Stops sampling; answers the eight most seen, with the share of samples that found each. */
    String stop() throws InterruptedException {
        running.set(false);
        thread.join(5_000);
        int n = Math.max(1, samples.get());
        return seen.entrySet().stream().sorted((a, b) -> b.getValue().get() - a.getValue().get()).limit(8)
                .map(e -> "%s %.0f %%".formatted(e.getKey(), 100.0 * e.getValue().get() / n))
                .collect(Collectors.joining("; ", samples.get() + " samples: ", ""));
    }
}
