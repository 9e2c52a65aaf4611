package dev.git.webhooks.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.git.webhooks.local.EmbeddedDatabase;
import dev.git.webhooks.local.EmbeddedKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The real Kafka broker and PostgreSQL of the tests, started once per test JVM and shared by every test class.
 * {@code WEBHOOKS_TEST_JDBC_URL} (with {@code WEBHOOKS_TEST_JDBC_USERNAME}/{@code _PASSWORD}) points the tests at
 * an external PostgreSQL instead of the embedded one, for example the machine's server on 127.0.0.1:5432.
 */
public class Infrastructure implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafkaBroker kafka;
    private static EmbeddedDatabase database;

    public static synchronized Map<String, String> startOnce() {
        try {
            if (kafka == null) {
                Path dir = Files.createTempDirectory("webhooks-test-");
                String external = System.getenv("WEBHOOKS_TEST_JDBC_URL");
                if (external == null || external.isBlank()) {
                    database = EmbeddedDatabase.start(dir.resolve("postgres"), 0);
                }
                kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
                Runtime.getRuntime().addShutdownHook(new Thread(Infrastructure::stopAll, "test-infrastructure-stop"));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test Kafka broker or PostgreSQL", e);
        }
        return Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", database != null ? database.username() : env("USERNAME", "postgres"),
                "quarkus.datasource.password", database != null ? "" : env("PASSWORD", ""));
    }

    public static String jdbcUrl() {
        return database != null ? database.jdbcUrl() : System.getenv("WEBHOOKS_TEST_JDBC_URL");
    }

    public static String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    private static String env(String suffix, String otherwise) {
        String value = System.getenv("WEBHOOKS_TEST_JDBC_" + suffix);
        return value == null ? otherwise : value;
    }

    private static synchronized void stopAll() {
        try {
            if (kafka != null) {
                kafka.close();
            }
            if (database != null) {
                database.close();
            }
        } catch (Exception e) {
            // the JVM is ending
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
