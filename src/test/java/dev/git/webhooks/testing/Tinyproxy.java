package dev.git.webhooks.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.git.webhooks.delivery.http.EgressProxy;

/**
 * A real HTTP proxy (Debian's {@code tinyproxy}, which {@code .ci/run} installs) on a free loopback port, in the
 * foreground, with its own configuration and access log, optionally asking for Basic credentials. Its log says what
 * it was asked: {@code Request (file descriptor 7): CONNECT 127.0.0.1:8443 HTTP/1.1}.
 */
public final class Tinyproxy implements AutoCloseable {

    private final Path dir;
    private final Path log;
    private final int port;
    private final Process process;

    private Tinyproxy(String user, String password) throws IOException {
        dir = Files.createTempDirectory("tinyproxy");
        log = dir.resolve("access.log");
        port = freePort();
        Path config = dir.resolve("tinyproxy.conf");
        Files.writeString(config, String.join("\n", "Port " + port, "Listen 127.0.0.1", "Timeout 30",
                "LogFile \"" + log + "\"", "LogLevel Info", "MaxClients 50", "Allow 127.0.0.1",
                "DisableViaHeader Yes", user == null ? "" : "BasicAuth " + user + " " + password, ""));
        process = new ProcessBuilder("tinyproxy", "-d", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).until(this::listening);
    }

    /** A proxy that lets every loopback client through. */
    public static Tinyproxy start() throws IOException {
        return new Tinyproxy(null, null);
    }

    /** A proxy that answers 407 unless the client sends these Basic credentials. */
    public static Tinyproxy withCredentials(String user, String password) throws IOException {
        return new Tinyproxy(user, password);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The service's egress through this proxy, without credentials. */
    public EgressProxy egress() {
        return new EgressProxy(Optional.of(url()), Optional.empty(), Optional.empty());
    }

    /** What clients asked the proxy for ({@code CONNECT 127.0.0.1:8443}, {@code POST http://…}), in order. */
    public List<String> requests() {
        try {
            return Files.readAllLines(log).stream().filter(line -> line.contains("Request (file descriptor"))
                    .map(line -> line.substring(line.indexOf("): ") + 3).replaceFirst(" HTTP/1\\.[01]$", ""))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A loopback port that nothing listens on: a proxy that is down. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
