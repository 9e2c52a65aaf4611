package dev.git.webhooks.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import dev.git.webhooks.local.EmbeddedDatabase;
import dev.git.webhooks.local.EmbeddedKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The real Kafka broker and PostgreSQL of the tests, started once per test JVM and shared by every test class.
 * {@code WEBHOOKS_TEST_JDBC_URL} (with {@code WEBHOOKS_TEST_JDBC_USERNAME}/{@code _PASSWORD}) points the tests at
 * an external PostgreSQL instead of the embedded one, for example the machine's server on 127.0.0.1:5432.
 * Addresses are kept in system properties: test code and test resources may live in different class loaders.
 */
public class Infrastructure implements QuarkusTestResourceLifecycleManager {

    public static final List<String> TOPICS = List.of("repo.push", "deploy.success", "deploy.failed", "pr.merged",
            "webhooks.dlq");
    private static final String KAFKA = "webhooks-test.kafka";
    private static final String JDBC = "webhooks-test.jdbc-url";
    private static final String PG_DATA = "webhooks-test.pg-data";

    public static synchronized Map<String, String> startOnce() {
        if (System.getProperty(KAFKA) == null) {
            try {
                Path dir = Files.createTempDirectory("webhooks-test-");
                String external = System.getenv("WEBHOOKS_TEST_JDBC_URL");
                // PostgreSQL's initdb and start (a process of its own) go on while the broker starts in this JVM
                CompletableFuture<EmbeddedDatabase> starting = external == null || external.isBlank()
                        ? CompletableFuture.supplyAsync(() -> {
                            try {
                                return EmbeddedDatabase.start(dir.resolve("postgres"), 0);
                            } catch (Exception e) {
                                throw new IllegalStateException("cannot start the test PostgreSQL", e);
                            }
                        }) : CompletableFuture.completedFuture(null);
                EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
                createTopics(kafka.bootstrapServers());
                EmbeddedDatabase database = starting.join();
                System.setProperty(KAFKA, kafka.bootstrapServers());
                System.setProperty(JDBC, database != null ? database.jdbcUrl() : external);
                if (database != null) {
                    System.setProperty(PG_DATA, dir.resolve("postgres").resolve("pgdata").toString());
                }
                EmbeddedDatabase db = database;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        kafka.close();
                        if (db != null) {
                            db.close();
                        }
                    } catch (Exception e) {
                        // the JVM is ending
                    }
                }, "test-infrastructure-stop"));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test Kafka broker or PostgreSQL", e);
            }
        }
        return Map.of(
                "webhooks.delivery.trust-store", TestCertificates.caPem().toString(),
                "kafka.bootstrap.servers", bootstrapServers(),
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", username(),
                "quarkus.datasource.password", password());
    }

    public static String jdbcUrl() {
        return System.getProperty(JDBC);
    }

    /** The embedded PostgreSQL's data directory (null with an external server): its postmaster.pid names it. */
    public static String postgresDataDir() {
        return System.getProperty(PG_DATA);
    }

    public static String bootstrapServers() {
        return System.getProperty(KAFKA);
    }

    public static String username() {
        return System.getenv().getOrDefault("WEBHOOKS_TEST_JDBC_USERNAME", "postgres");
    }

    public static String password() {
        return System.getenv().getOrDefault("WEBHOOKS_TEST_JDBC_PASSWORD", "");
    }

    private static void createTopics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(TOPICS.stream().map(t -> new NewTopic(t, 2, (short) 1)).toList()).all().get();
        }
    }

    @Override
    public Map<String, String> start() {
        return startOnce();
    }

    @Override
    public void stop() {
        // Shared by every test class of this JVM: stopped by the shutdown hook.
    }
}
