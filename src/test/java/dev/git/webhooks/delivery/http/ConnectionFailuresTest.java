package dev.git.webhooks.delivery.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Attempts;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;

/** Attempts that get no proper answer are recorded with their error class; long answers are cut at 4 KiB. */
@QuarkusTest
class ConnectionFailuresTest {

    private Api.Owner owner;

    @BeforeEach
    void newOwner() {
        owner = Api.newOwner();
    }

    @Test
    void aClosedPortIsARefusedConnection() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Map<String, Object> attempt = attemptAt("http://127.0.0.1:" + port + "/closed");
        assertThat(attempt.get("error_class"), equalTo("connection_refused"));
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersTimesOut() throws IOException {
        try (RawEndpoint silent = RawEndpoint.start("silent-endpoint", client -> { })) { // never read, never answer
            Map<String, Object> attempt = attemptAt("http://127.0.0.1:" + silent.port() + "/silent");
            assertThat(attempt.get("error_class"), equalTo("timeout"));
            // webhooks.delivery.timeout is 2 s in tests
            assertThat((Integer) attempt.get("duration_ms"), both(greaterThanOrEqualTo(1_900)).and(lessThan(3_000)));
        }
    }

    /**
     * A 2xx whose head comes within the attempt timeout is a success (SPEC §3), though its body does not end in
     * time: recorded with the part of the body read, not as a timeout to be sent again.
     */
    @Test
    void aTwoHundredWhoseBodyDoesNotEndInTimeIsASuccess() throws IOException {
        try (RawEndpoint slow = RawEndpoint.start("slow-body-endpoint", client -> {
            // the request's head first: an answer before any request is no answer to it
            java.io.InputStream in = client.getInputStream();
            StringBuilder head = new StringBuilder();
            for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0; ) {
                head.append((char) b);
            }
            client.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nthanks, and")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // the rest never comes
            client.getOutputStream().flush();
        })) {
            Map<String, Object> attempt = attemptAt("http://127.0.0.1:" + slow.port() + "/slow-body");
            assertThat(attempt.toString(), attempt.get("response_status"), equalTo(200));
            assertThat(attempt.toString(), attempt.get("error_class"), org.hamcrest.Matchers.nullValue());
            assertThat(attempt.get("response_body"), equalTo("thanks, and"));
        }
    }

    @Test
    void keepsTheFirst4KiBOfALongAnswer() {
        String path = Receivers.newPath();
        String body = "0123456789abcdef".repeat(640); // 10 KiB
        Receivers.server().stubFor(post(path).willReturn(aResponse().withStatus(500).withBody(body)));
        Map<String, Object> attempt = attemptAt(Receivers.url(path));
        assertThat(attempt.get("response_status"), equalTo(500));
        assertThat(((String) attempt.get("response_body")).length(), equalTo(4096));
        assertThat(attempt.get("response_body"), equalTo(body.substring(0, 4096)));
    }

    /** What a raw endpoint does with each connection it accepts; the connection stays open until the close. */
    private interface OnAccept {
        void accept(Socket client) throws IOException;
    }

    /** A plain socket server on the loopback that holds every connection it accepted until it is closed. */
    private record RawEndpoint(ServerSocket server, List<Socket> held) implements AutoCloseable {

        static RawEndpoint start(String name, OnAccept onAccept) throws IOException {
            RawEndpoint endpoint = new RawEndpoint(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                    new CopyOnWriteArrayList<>());
            Thread acceptor = new Thread(() -> {
                while (!endpoint.server.isClosed()) {
                    try {
                        Socket client = endpoint.server.accept();
                        endpoint.held.add(client);
                        onAccept.accept(client);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, name);
            acceptor.setDaemon(true);
            acceptor.start();
            return endpoint;
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private Map<String, Object> attemptAt(String url) {
        String id = Api.createWebhook(owner, Map.of("url", url, "events", List.of("*")));
        Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null));
        Map<String, Object> first = Attempts.ofNewestDelivery(owner, id).get(0);
        owner.request().delete("/v2/webhooks/" + id);
        return first;
    }
}
