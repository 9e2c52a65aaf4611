package dev.git.webhooks.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A single-node Kafka broker with an authorizer, as a secured production cluster has: clients authenticate with
 * SASL/PLAIN on one listener and get only what ACLs grant them ({@code StandardAuthorizer}, nothing allowed when no
 * ACL matches); a plaintext listener for the test itself, whose anonymous principal is a super user (it creates the
 * topics and the ACLs, and publishes as a producer team would).
 */
public final class SecuredBroker implements AutoCloseable {

    public static final String USER = "webhooks";
    public static final String PASSWORD = "webhooks-secret";

    private final KafkaRaftServer server;
    private final int internalPort;
    private final int clientPort;

    private SecuredBroker(KafkaRaftServer server, int internalPort, int clientPort) {
        this.server = server;
        this.internalPort = internalPort;
        this.clientPort = clientPort;
    }

    public static SecuredBroker start() throws Exception {
        int internal = freePort();
        int client = freePort();
        int controller = freePort();
        Path logDir = Files.createTempDirectory("webhooks-secured-broker-");
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
        props.put("listeners", "INTERNAL://127.0.0.1:" + internal + ",CLIENT://127.0.0.1:" + client
                + ",CONTROLLER://127.0.0.1:" + controller);
        props.put("advertised.listeners", "INTERNAL://127.0.0.1:" + internal + ",CLIENT://127.0.0.1:" + client);
        props.put("listener.security.protocol.map", "INTERNAL:PLAINTEXT,CLIENT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "INTERNAL");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.client.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + USER + "=\"" + PASSWORD
                        + "\";");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:ANONYMOUS");
        props.put("auto.create.topics.enable", "false");
        props.put("log.dirs", logDir.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "2");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.cleaner.dedupe.buffer.size", "2097152");
        KafkaConfig config = new KafkaConfig(props, false);
        new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream())).setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString()).addDirectory(logDir.toString())
                .setMetadataLogDirectory(logDir.toString()).setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION).run();
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return new SecuredBroker(server, internal, client);
    }

    /** The plaintext listener, for the test: a super user. */
    public String internalServers() {
        return "127.0.0.1:" + internalPort;
    }

    /** The service's client settings, as environment variables: SASL/PLAIN as {@link #USER}. */
    public Map<String, String> clientEnvironment() {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + clientPort,
                env(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG), "SASL_PLAINTEXT",
                env(SaslConfigs.SASL_MECHANISM), "PLAIN",
                env(SaslConfigs.SASL_JAAS_CONFIG), "org.apache.kafka.common.security.plain.PlainLoginModule "
                        + "required username=\"" + USER + "\" password=\"" + PASSWORD + "\";");
    }

    /** The same settings as client properties, for a client of the test acting as the service's principal. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>();
        clientEnvironment().forEach((name, value) -> props.put(name.substring("KAFKA_".length()).toLowerCase()
                .replace('_', '.'), value));
        return props;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static String env(String kafkaKey) {
        return "KAFKA_" + kafkaKey.toUpperCase().replace('.', '_');
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
