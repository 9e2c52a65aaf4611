package dev.git.webhooks.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A bare TLS endpoint on 127.0.0.1 that tells what WireMock cannot: the server name (SNI) each client asked for,
 * how many connections came and how many handshakes completed. It answers every request with 204.
 */
public final class TlsReceiver implements AutoCloseable {

    private final SSLServerSocket server;
    private final List<String> serverNames = new CopyOnWriteArrayList<>();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    private final long handshakeDelayMillis;

    public TlsReceiver(Path keyStore) throws Exception {
        this(keyStore, java.time.Duration.ZERO);
    }

    /** One that waits {@code handshakeDelay} after accepting a connection before its TLS handshake (a slow server). */
    public TlsReceiver(Path keyStore, java.time.Duration handshakeDelay) throws Exception {
        this.handshakeDelayMillis = handshakeDelay.toMillis();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, TestCertificates.PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, TestCertificates.PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::serve, "tls-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The SNI names asked for by clients whose handshake completed. */
    public List<String> serverNames() {
        return List.copyOf(serverNames);
    }

    public int handshakes() {
        return handshakes.get();
    }

    public int requests() {
        return requests.get();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (SSLSocket socket = (SSLSocket) server.accept()) {
                socket.setSoTimeout(5_000);
                try {
                    Thread.sleep(handshakeDelayMillis);
                    socket.startHandshake();
                } catch (IOException e) {
                    continue; // the client refused our certificate, or went away
                } catch (InterruptedException e) {
                    return;
                }
                handshakes.incrementAndGet();
                ((ExtendedSSLSession) socket.getSession()).getRequestedServerNames().forEach(name ->
                        serverNames.add(((SNIHostName) name).getAsciiName()));
                if (!readHead(socket.getInputStream())) {
                    continue; // the client closed the connection without a request
                }
                requests.incrementAndGet();
                socket.getOutputStream().write("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            } catch (IOException e) {
                // closed, or a client that went away
            }
        }
    }

    /** Reads a request's head; false when the connection ends before one came. */
    private static boolean readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
