package dev.git.webhooks.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * What the fuzz's exchanges report against servers that misbehave on purpose: a whole answer is answered; a
 * server that never answers, or never reads, is a hang within the timeout; a reset and a close before the answer
 * is whole are failures, never an answer.
 */
class RawHttpTest {

    private static final Duration TIMEOUT = Duration.ofMillis(400);
    private static final byte[] GET = RawHttp.request("GET", "/v2/webhooks", Map.of(), null);

    /** What the server does with one connection; {@code clientDone} opens once the exchange has ended. */
    private interface Behaviour {
        void serve(Socket connection, CountDownLatch clientDone) throws Exception;
    }

    @Test
    void aWholeAnswerIsAnswered() throws Exception {
        RawHttp.Exchange exchange = against((c, done) -> answer(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
                GET);
        assertThat(exchange.failure(), nullValue());
        assertThat(exchange.answer().status(), equalTo(200));
        assertThat(exchange.answer().text(), equalTo("ok"));
    }

    @Test
    void anAnswerWithoutALengthEndsWithItsConnection() throws Exception {
        RawHttp.Exchange exchange = against((c, done) -> answer(c, "HTTP/1.1 400 Bad Request\r\n\r\nbad"), GET);
        assertThat(exchange.failure(), nullValue());
        assertThat(exchange.answer().text(), equalTo("bad"));
    }

    @Test
    void noAnswerIsAHangWithinTheTimeout() throws Exception {
        assertHang(against((c, done) -> {
            readHead(c);
            done.await(5, TimeUnit.SECONDS); // the server holds the connection, silent
        }, GET));
    }

    @Test
    void aServerThatNeverReadsIsAHangWithinTheTimeout() throws Exception {
        byte[] large = RawHttp.request("POST", "/v2/webhooks", Map.of(), new byte[16 << 20]); // over the buffers
        assertHang(against((c, done) -> done.await(5, TimeUnit.SECONDS), large));
    }

    @Test
    void aResetBeforeTheAnswerIsAFailure() throws Exception {
        RawHttp.Exchange exchange = against((c, done) -> {
            readHead(c);
            c.setSoLinger(true, 0);
            c.close();
        }, GET);
        assertThat(exchange.failure(), containsString("reset"));
    }

    @Test
    void aCloseInTheMiddleOfTheAnswerIsAFailure() throws Exception {
        RawHttp.Exchange exchange = against((c, done) -> answer(c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"
                + "abc"), GET);
        assertThat(exchange.failure(), startsWith("closed by the server before a complete answer"));
        assertThat("what was read is kept", exchange.answer().status(), equalTo(200));
    }

    private static void assertHang(RawHttp.Exchange exchange) {
        assertThat(exchange.failure(), startsWith("hang"));
        assertThat("waited for the timeout (to the timer's grain)", exchange.took(),
                greaterThanOrEqualTo(TIMEOUT.minusMillis(10)));
        assertThat(exchange.took(), lessThan(TIMEOUT.plusSeconds(1)));
    }

    private static RawHttp.Exchange against(Behaviour behaviour, byte[] request) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CountDownLatch served = new CountDownLatch(1);
            CountDownLatch clientDone = new CountDownLatch(1);
            Thread thread = new Thread(() -> {
                try (Socket connection = server.accept()) {
                    behaviour.serve(connection, clientDone);
                } catch (Exception e) {
                    // the client went away first: what it saw is what is asserted
                } finally {
                    served.countDown();
                }
            }, "raw-http-test-server");
            thread.setDaemon(true);
            thread.start();
            RawHttp.Exchange exchange = RawHttp.exchange(new InetSocketAddress(server.getInetAddress(),
                    server.getLocalPort()), request, false, TIMEOUT);
            clientDone.countDown();
            assertThat("the server thread ended", served.await(5, TimeUnit.SECONDS));
            return exchange;
        }
    }

    private static void answer(Socket connection, String answer) throws IOException {
        readHead(connection);
        connection.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
        connection.getOutputStream().flush();
    }

    /** Reads up to the end of the request's head. */
    private static void readHead(Socket connection) throws IOException {
        InputStream in = connection.getInputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        for (int b; matched < end.length && (b = in.read()) >= 0;) {
            matched = b == end[matched] ? matched + 1 : b == end[0] ? 1 : 0;
        }
    }
}
