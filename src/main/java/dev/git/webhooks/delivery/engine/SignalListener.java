package dev.git.webhooks.delivery.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import dev.git.webhooks.outbox.Signals;

/**
 * Listens, on a connection of its own, to what other instances (and this one) signal through PostgreSQL
 * ({@link Signals}): deliveries queued for an endpoint, an endpoint that stopped or changed. Each signal becomes a
 * command for the engine, which acts on those of its own endpoints. When the connection breaks, it connects again
 * and has the engine look at its whole queue, since signals sent meanwhile were lost.
 */
@ApplicationScoped
public class SignalListener {

    private static final Logger LOG = Logger.getLogger(SignalListener.class);

    /** How often a quiet connection is asked a question, and how long it has to answer. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration checkEvery;
    private volatile boolean running;
    private Thread thread;

    @Inject
    public SignalListener(DataSource dataSource, Clock clock) {
        this(dataSource, clock, CHECK_EVERY);
    }

    SignalListener(DataSource dataSource, Clock clock, Duration checkEvery) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.checkEvery = checkEvery;
    }

    void start(Consumer<Command> engine) {
        running = true;
        thread = new Thread(() -> listen(engine), "delivery-signals");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void listen(Consumer<Command> engine) {
        boolean first = true;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                int before = connection.getNetworkTimeout();
                // from the first statement on: a pooled connection may be dead already, and listen would wait forever
                connection.setNetworkTimeout(Runnable::run, (int) checkEvery.toMillis());
                try {
                    try (Statement listen = connection.createStatement()) {
                        listen.execute("listen " + Signals.DUE + "; listen " + Signals.ENDPOINT);
                    }
                    if (!first) {
                        engine.accept(new Command.Resync());
                        LOG.info("Listening to the other instances' signals again");
                    }
                    first = false;
                    receive(connection, engine);
                } finally {
                    release(connection, before);
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.debugf("Listening to signals failed; connecting again: %s", e.getMessage());
                    first = false;
                    sleep(1000);
                }
            }
        }
    }

    /**
     * Hands on what arrives until the connection breaks. A connection can also die without a word (a network that
     * drops the packets of a dead host or a failed-over server: no reset ever comes), and a listener waiting on it
     * would hear nothing forever: so a quiet connection is asked {@code select 1} every {@code checkEvery}, with as
     * long to answer (the connection's network timeout), and one that does not answer counts as broken.
     */
    private void receive(Connection connection, Consumer<Command> engine) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        Instant checkAt = clock.instant().plus(checkEvery);
        while (running) {
            PGNotification[] notifications = pg.getNotifications(500);
            Instant now = clock.instant();
            if (notifications != null && notifications.length > 0) {
                deliver(notifications, engine);
                checkAt = now.plus(checkEvery);
            } else if (!now.isBefore(checkAt)) {
                try (Statement check = connection.createStatement()) {
                    check.execute("select 1");
                }
                checkAt = now.plus(checkEvery);
            }
        }
    }

    /**
     * Stops listening before the connection goes back to the pool, and gives it back as it was lent. This goes
     * through the pool's own wrapper, unlike the notifications read from the driver's connection: a connection that
     * broke fails here, and the pool drops it instead of lending it again (still listening, or dead).
     */
    private static void release(Connection connection, int networkTimeout) {
        try (Statement unlisten = connection.createStatement()) {
            unlisten.execute("unlisten *");
            connection.setNetworkTimeout(Runnable::run, networkTimeout);
        } catch (SQLException e) {
            LOG.debugf("The signals connection is broken; the pool drops it: %s", e.getMessage());
        }
    }

    private void deliver(PGNotification[] notifications, Consumer<Command> engine) {
        Instant now = clock.instant();
        List<Command.Due> due = new ArrayList<>();
        for (PGNotification n : notifications) {
            if (Signals.DUE.equals(n.getName())) {
                String payload = n.getParameter();
                int space = payload.indexOf(' ');
                if (space > 0) {
                    try {
                        due.add(new Command.Due(payload.substring(space + 1),
                                Integer.parseInt(payload.substring(0, space)), now));
                    } catch (NumberFormatException e) {
                        LOG.debugf("Ignoring a malformed signal %s", payload);
                    }
                }
            } else if (Signals.ENDPOINT.equals(n.getName())) {
                engine.accept(new Command.EndpointChanged(n.getParameter()));
            }
        }
        if (!due.isEmpty()) {
            engine.accept(new Command.Queued(due));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
