package dev.git.webhooks.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A single-node Apache Kafka broker (Kafka's own server code, KRaft combined mode) running inside this JVM.
 * Used by dev mode and by the tests; never part of the packaged application (this package is dev mode's code, and
 * the broker a {@code provided} dependency).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final int NODE_ID = 1;
    /** Tries to start a new broker on free ports, so many times, when another process took a port in between. */
    private static final int ATTEMPTS = 3;

    private final int port;
    private final Path dataDir;
    private final KafkaRaftServer server;

    private EmbeddedKafkaBroker(int port, Path dataDir, KafkaRaftServer server) {
        this.port = port;
        this.dataDir = dataDir;
        this.server = server;
    }

    /**
     * Formats {@code dataDir} when it holds no broker yet, then starts the broker on {@code port} (0 picks a free
     * one). A kept directory keeps its topics and committed offsets between runs. A free port is found by binding to
     * it and letting it go, so another process (PostgreSQL starting beside the broker, a client's ephemeral port) may
     * take it before the broker binds: a new broker on ports it picked itself then starts again on others, in a
     * directory of its own (the first attempt's metadata names the ports it was given).
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) throws Exception {
        boolean fresh = !Files.exists(dataDir.resolve("log").resolve("meta.properties"));
        for (int attempt = 1;; attempt++) {
            Path dir = attempt == 1 ? dataDir : dataDir.resolveSibling(dataDir.getFileName() + "-" + attempt);
            try {
                return startIn(dir, port);
            } catch (Exception e) {
                if (port != 0 || !fresh || attempt == ATTEMPTS || !portTaken(e)) {
                    throw e;
                }
                System.err.println("The embedded Kafka broker's port was taken before it could bind it (" + e
                        + "); starting it on other ports");
            }
        }
    }

    private static boolean portTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    private static EmbeddedKafkaBroker startIn(Path dataDir, int port) throws Exception {
        int brokerPort = port == 0 ? freePort() : port;
        int controllerPort = freePort();
        Path logDir = dataDir.resolve("log");
        Files.createDirectories(logDir);

        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "4");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "true");
        props.put("log.cleaner.dedupe.buffer.size", "2097152");
        props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        KafkaConfig config = new KafkaConfig(props, false);

        if (!Files.exists(logDir.resolve("meta.properties"))) {
            new Formatter()
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .addDirectory(logDir.toString())
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true)
                    .run();
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (Exception e) {
            try {
                server.shutdown(); // what did start (the controller, its threads) stops
            } catch (Exception stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
        return new EmbeddedKafkaBroker(brokerPort, dataDir, server);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The directory that the broker keeps its data in: another than the one asked for after a port was taken. */
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
