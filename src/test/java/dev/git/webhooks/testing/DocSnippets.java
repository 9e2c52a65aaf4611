package dev.git.webhooks.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code blocks of a doc, marked {@code <!-- snippet: name -->}, run as they are written: a receiver snippet is
 * started as a process of its own (with {@code PORT} and {@code WEBHOOK_SECRET}) and sent captured deliveries.
 */
public final class DocSnippets {

    /** What a test does with a receiver that listens on {@code port}. */
    public interface WithReceiver {
        void accept(int port) throws Exception;
    }

    private DocSnippets() {
    }

    /** The code block after {@code <!-- snippet: name -->} in {@code doc}. */
    public static String snippet(Path doc, String name) throws IOException {
        Matcher block = Pattern.compile("<!-- snippet: " + Pattern.quote(name) + " -->\\s*```[a-z]*\\n(.*?)\\n```",
                Pattern.DOTALL).matcher(Files.readString(doc));
        if (!block.find()) {
            throw new IllegalStateException("no snippet '" + name + "' in " + doc);
        }
        return block.group(1);
    }

    /** The snippet, written to {@code fileName} in a fresh directory. */
    public static Path write(Path doc, String name, String fileName) throws IOException {
        Path file = Files.createTempDirectory("snippet-").resolve(fileName);
        Files.writeString(file, snippet(doc, name));
        return file;
    }

    /** Starts {@code command} as a receiver, waits until it listens, hands it to {@code test}, then stops it. */
    public static void withReceiver(List<String> command, String secret, WithReceiver test) throws Exception {
        withReceiver(command, Map.of("WEBHOOK_SECRET", secret), test);
    }

    /** Starts {@code command} as a receiver with {@code environment} (and {@code PORT}), as above. */
    public static void withReceiver(List<String> command, Map<String, String> environment, WithReceiver test)
            throws Exception {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("snippet-", ".log").toFile());
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().putAll(environment);
        Process receiver = builder.start();
        try {
            await().atMost(Duration.ofSeconds(30)).failFast("the receiver exited", () -> !receiver.isAlive())
                    .until(() -> listening(port));
            test.accept(port);
        } finally {
            receiver.destroyForcibly();
            receiver.waitFor();
        }
    }

    /** POSTs {@code body} with the delivery's headers (not its User-Agent) and answers the status. */
    public static int send(int port, byte[] body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("User-Agent")) {
                request.header(name, value);
            }
        });
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
