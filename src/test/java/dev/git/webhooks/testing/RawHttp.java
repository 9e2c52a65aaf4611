package dev.git.webhooks.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.RestAssured;

/**
 * HTTP/1.1 over a plain socket, one request per connection, for requests that a client library would refuse or
 * tidy up: bad escapes, NUL bytes, oversized lines, odd framing. Sends the bytes as given and reads what comes back.
 */
public final class RawHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] CRLF_CRLF = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "raw-http-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private RawHttp() {
    }

    /** An answer; {@code status} -1 when the server closed the connection without one. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as JSON, or null when it is not JSON. */
        public JsonNode json() {
            try {
                return body.length == 0 ? null : JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** A request built from its parts; {@code Host} and {@code Connection: close} come first. */
    public static byte[] request(String method, String target, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\nConnection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        byte[] start = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(start);
        if (body != null) {
            all.writeBytes(body);
        }
        return all.toByteArray();
    }

    public static Answer send(String method, String target, Map<String, String> headers, byte[] body) {
        return send(request(method, target, headers, body));
    }

    public static Answer send(String raw) {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * What came of one request: a complete answer, or, in {@code failure}, why there is none (a hang, a reset, an
     * early close). {@code answer} holds what was read either way (status -1 before a status line).
     */
    public record Exchange(Answer answer, String failure, Duration took) {

        public boolean answered() {
            return failure == null;
        }
    }

    /**
     * Sends the bytes to the application under test and reads one complete answer within {@code timeout}, never
     * throwing: no complete answer in time is a failure ({@code hang}: the socket is closed at the deadline, so a
     * write the server never reads ends too), and so are a reset and a close before the answer is complete. A server
     * that answers early and stops reading (413) is fine as long as the answer arrives whole. {@code head}: the answer
     * has no body whatever its headers say.
     */
    public static Exchange exchange(byte[] raw, boolean head, Duration timeout) {
        return exchange(new InetSocketAddress("127.0.0.1", RestAssured.port), raw, head, timeout);
    }

    /** {@link #exchange(byte[], boolean, Duration)} with the server at {@code server}. */
    static Exchange exchange(InetSocketAddress server, byte[] raw, boolean head, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        Socket socket = new Socket();
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            timedOut.set(true);
            try {
                socket.close();
            } catch (IOException e) {
                // closing is all it does
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        String failure;
        try (socket) {
            socket.connect(server, (int) Math.max(1, timeout.toMillis()));
            try {
                socket.getOutputStream().write(raw);
                socket.getOutputStream().flush();
            } catch (SocketException e) {
                // the server may answer and stop reading before it has read everything (413): read its answer
            }
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            failure = null;
            boolean closed = false;
            while (!closed && !complete(read.toByteArray(), head)) {
                long left = deadline - System.nanoTime();
                socket.setSoTimeout((int) Math.max(1, (left + 999_999) / 1_000_000)); // rounded up: never early
                int n = in.read(buffer);
                if (n < 0) {
                    closed = true;
                    failure = closeDelimited(read.toByteArray()) ? null : "closed by the server before a complete "
                            + "answer (" + read.size() + " bytes)";
                } else {
                    read.write(buffer, 0, n);
                }
            }
        } catch (SocketTimeoutException e) {
            failure = hang(timeout, read);
        } catch (IOException e) {
            failure = timedOut.get() ? hang(timeout, read)
                    : "connection broken (reset) after " + read.size() + " bytes of the answer: " + e;
        } catch (RuntimeException e) {
            failure = "unreadable answer: " + e;
        } finally {
            watchdog.cancel(false);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        byte[] bytes = read.toByteArray();
        int end = indexOf(bytes, CRLF_CRLF);
        Answer answer;
        try {
            answer = end < 0 ? null : parse(bytes, end);
        } catch (RuntimeException e) {
            answer = null;
            failure = failure != null ? failure : "unreadable answer: " + e;
        }
        if (answer == null) {
            return new Exchange(new Answer(-1, Map.of(), bytes), failure, took);
        }
        return new Exchange(head ? new Answer(answer.status(), answer.headers(), new byte[0]) : answer, failure,
                took);
    }

    private static String hang(Duration timeout, ByteArrayOutputStream read) {
        return "hang: no complete answer within " + timeout.toMillis() + " ms (" + read.size() + " bytes read)";
    }

    /** Whether these bytes hold a whole answer: its head, and all of its body by its framing. */
    private static boolean complete(byte[] bytes, boolean head) {
        int end = indexOf(bytes, CRLF_CRLF);
        if (end < 0) {
            return false;
        }
        Answer answer = parse(Arrays.copyOf(bytes, end + 4), end);
        if (head || answer.status() == 204 || answer.status() == 304 || answer.status() < 200) {
            return true;
        }
        return complete(answer.headers(), bytes.length - end - 4, bytes);
    }

    /** An answer with neither a length nor chunks: its body ends where the connection does. */
    private static boolean closeDelimited(byte[] bytes) {
        int end = indexOf(bytes, CRLF_CRLF);
        if (end < 0) {
            return false;
        }
        Map<String, String> headers = parse(Arrays.copyOf(bytes, end + 4), end).headers();
        return !headers.containsKey("content-length") && !headers.containsKey("transfer-encoding");
    }

    private static Answer parse(byte[] bytes, int end) {
        String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        byte[] body = Arrays.copyOfRange(bytes, end + 4, bytes.length);
        return new Answer(status, headers, "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))
                && new String(bytes, StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n") ? dechunk(body) : body);
    }

    /** Sends the bytes to the application under test and reads one answer. */
    public static Answer send(byte[] raw) {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(raw);
                out.flush();
            } catch (SocketException e) {
                // the server may answer and close before it has read everything (413): read its answer
            }
            return read(socket.getInputStream());
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within 15 s to " + preview(raw), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the application: " + e.getMessage(), e);
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int end = -1;
        Map<String, String> headers = new LinkedHashMap<>();
        int status = -1;
        try {
            for (int n; (n = in.read(buffer)) > 0;) {
                all.write(buffer, 0, n);
                byte[] bytes = all.toByteArray();
                if (end < 0 && (end = indexOf(bytes, CRLF_CRLF)) >= 0) {
                    String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
                    status = Integer.parseInt(lines[0].split(" ")[1]);
                    for (int i = 1; i < lines.length; i++) {
                        int colon = lines[i].indexOf(':');
                        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                lines[i].substring(colon + 1).trim());
                    }
                }
                if (end >= 0 && complete(headers, bytes.length - end - 4, bytes)) {
                    break;
                }
            }
        } catch (SocketException e) {
            // a reset after the answer was sent
        }
        byte[] bytes = all.toByteArray();
        if (end < 0) {
            return new Answer(-1, Map.of(), bytes);
        }
        byte[] body = Arrays.copyOfRange(bytes, end + 4, bytes.length);
        return new Answer(status, headers, "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))
                ? dechunk(body) : body);
    }

    private static boolean complete(Map<String, String> headers, int bodyBytes, byte[] bytes) {
        if (headers.containsKey("content-length")) {
            return bodyBytes >= Integer.parseInt(headers.get("content-length"));
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return new String(bytes, StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n");
        }
        return false; // until the server closes
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int eol = indexOf(Arrays.copyOfRange(body, at, body.length), new byte[] {'\r', '\n'});
            int size = Integer.parseInt(new String(body, at, eol, StandardCharsets.ISO_8859_1).trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(body, at + eol + 2, size);
            at += eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    public static String preview(byte[] raw) {
        String text = new String(raw, 0, Math.min(raw.length, 160), StandardCharsets.ISO_8859_1);
        return text.replace("\r\n", "⏎").replaceAll("\\p{Cntrl}", "·") + (raw.length > 160 ? "…" : "");
    }
}
