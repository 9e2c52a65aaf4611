package dev.git.webhooks.delivery.engine;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.instanceOf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import dev.git.webhooks.outbox.Signals;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Infrastructure;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The listener's connection dies without a word (a relay between it and PostgreSQL stops passing bytes and closes
 * nothing, as a network does when the server's host is gone): the listener notices within its check, connects
 * again, has the engine look at its whole queue (signals sent meanwhile were lost) and hears signals again.
 */
@QuarkusTest
class SignalListenerTest {

    private static final Duration CHECK = Duration.ofSeconds(1);

    @Test
    void aConnectionThatStopsAnsweringIsReplacedAndTheQueueLookedAtAgain() throws Exception {
        URI database = URI.create(Infrastructure.jdbcUrl().substring("jdbc:".length()));
        try (SilentRelay relay = new SilentRelay(new InetSocketAddress(database.getHost(), database.getPort()))) {
            PGSimpleDataSource through = new PGSimpleDataSource();
            through.setUrl("jdbc:postgresql://127.0.0.1:" + relay.port() + database.getPath());
            through.setUser(Infrastructure.username());
            through.setPassword(Infrastructure.password());
            List<Command> heard = new CopyOnWriteArrayList<>();
            SignalListener listener = new SignalListener(through, Clock.systemUTC(), CHECK);
            listener.start(heard::add);
            try {
                String first = "wh_signal_" + System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    Db.query("select pg_notify(?, ?)", Signals.ENDPOINT, first);
                    return heard.contains(new Command.EndpointChanged(first));
                });
                heard.clear();
                relay.silence(); // the open connection hears nothing more, and nothing tells it so

                await().atMost(Duration.ofSeconds(10)).until(() -> heard.stream()
                        .anyMatch(c -> c instanceof Command.Resync));
                // a last signal of the first round may still have come in: the first command after it is the resync
                assertThat(heard.stream().filter(c -> !c.equals(new Command.EndpointChanged(first))).findFirst()
                        .orElseThrow(), instanceOf(Command.Resync.class));
                String second = "wh_signal_" + System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    Db.query("select pg_notify(?, ?)", Signals.ENDPOINT, second);
                    return heard.contains(new Command.EndpointChanged(second));
                });
                assertThat(heard, hasItem(new Command.EndpointChanged(second)));
            } finally {
                listener.stop();
            }
        }
    }

    /** Passes bytes both ways until {@link #silence}: then the connections open so far stay open and pass none. */
    private static final class SilentRelay implements AutoCloseable {

        private final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final List<Socket> silenced = new CopyOnWriteArrayList<>();

        SilentRelay(InetSocketAddress target) throws IOException {
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Socket upstream = new Socket(target.getAddress(), target.getPort());
                        sockets.add(client);
                        sockets.add(upstream);
                        pump(client, upstream);
                        pump(upstream, client);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-relay");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return server.getLocalPort();
        }

        void silence() {
            silenced.addAll(sockets);
        }

        private void pump(Socket from, Socket to) {
            Thread pump = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        if (silenced.contains(from)) {
                            continue; // swallowed: neither answered nor refused
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // the other side closed
                }
            }, "silent-relay-pump");
            pump.setDaemon(true);
            pump.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
