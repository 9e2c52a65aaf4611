package dev.git.webhooks.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.git.webhooks.local.EmbeddedDatabase;

/**
 * A PostgreSQL server of a fault test's own (real binaries, as in the rest of the suite) that the test can stop the
 * hard way ({@code pg_ctl stop -m immediate}: SIGQUIT to the postmaster, no checkpoint, crash recovery at the next
 * start) and start again on the same port with the same data.
 */
public final class RestartablePostgres implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private EmbeddedDatabase database;

    private RestartablePostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    public static RestartablePostgres start() throws IOException {
        RestartablePostgres postgres;
        try (ServerSocket socket = new ServerSocket(0)) {
            postgres = new RestartablePostgres(Files.createTempDirectory("webhooks-pg-"), socket.getLocalPort());
        }
        postgres.database = EmbeddedDatabase.start(postgres.dataDir, postgres.port);
        return postgres;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** The immediate shutdown mode: every backend quits at once, as in a crash of the database host. */
    public void stopImmediately() throws IOException, InterruptedException {
        String pid = Files.readAllLines(dataDir.resolve("pgdata").resolve("postmaster.pid")).get(0).trim();
        Process kill = new ProcessBuilder("kill", "-QUIT", pid).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("could not stop PostgreSQL " + pid);
        }
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> p.onExit().join());
        close(); // releases the data directory's lock; the server is gone already
    }

    public void restart() throws IOException {
        database = EmbeddedDatabase.start(dataDir, port);
    }

    @Override
    public void close() {
        if (database != null) {
            try {
                database.close();
            } catch (IOException | RuntimeException e) {
                // already stopped
            }
            database = null;
        }
    }
}
