package dev.git.webhooks.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.Awaitility;

import dev.git.webhooks.local.EmbeddedKafkaBroker;

/**
 * A real Kafka broker in a JVM of its own, so that a fault test can kill it with SIGKILL and start it again on the
 * same port with the same data directory, as a broker host that crashes and comes back.
 */
public final class BrokerProcess implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final Path log;
    private Process process;

    private BrokerProcess(Path dataDir, int port, Path log) {
        this.dataDir = dataDir;
        this.port = port;
        this.log = log;
    }

    public static BrokerProcess start() throws IOException {
        BrokerProcess broker = new BrokerProcess(Files.createTempDirectory("webhooks-broker-"), freePort(),
                Files.createTempFile("webhooks-broker-", ".log"));
        broker.startProcess();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL: no flush, no controlled shutdown. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts the broker again with the data it had. */
    public void restart() throws IOException {
        startProcess();
    }

    private void startProcess() throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
        command.addAll(ServiceProcess.TEST_GC); // collected as the ITs' service instances are
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), dataDir.toString(),
                String.valueOf(port)));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3000))) {
            Awaitility.await("the broker at " + bootstrapServers() + " is up").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .failFast("the broker process exited", () -> !process.isAlive())
                    .until(() -> !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The broker's JVM: runs until killed. */
    public static final class Main {
        public static void main(String[] args) throws Exception {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of(args[0]), Integer.parseInt(args[1]));
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
            Thread.currentThread().join();
        }
    }
}
