package dev.git.webhooks.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import dev.git.webhooks.common.DevDefaults;
import dev.git.webhooks.common.Ids;
import dev.git.webhooks.ingest.IngestConfig;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Dev mode only: starts an embedded PostgreSQL and Kafka broker before anything else, migrates the database,
 * creates the topics, and makes up (once, then keeps) the admin key and the secrets encryption key.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class LocalInfrastructure implements DevDefaults {

    private static final Logger LOG = Logger.getLogger(LocalInfrastructure.class);

    private final LocalConfig config;
    private final IngestConfig ingest;
    private final Flyway flyway;
    private EmbeddedDatabase database;
    private EmbeddedKafkaBroker kafka;

    public LocalInfrastructure(LocalConfig config, IngestConfig ingest, Flyway flyway) {
        this.config = config;
        this.ingest = ingest;
        this.flyway = flyway;
    }

    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 1) StartupEvent event) throws Exception {
        Path dir = config.dataDir().toAbsolutePath();
        long started = System.nanoTime();
        database = EmbeddedDatabase.start(dir.resolve("postgres"), config.postgresPort());
        flyway.migrate();
        kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"), config.kafkaPort());
        createTopics();
        LOG.infof("Embedded PostgreSQL (%s) and Kafka (%s) ready in %d ms, data in %s", database.jdbcUrl(),
                kafka.bootstrapServers(), (System.nanoTime() - started) / 1_000_000, dir);
    }

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) ShutdownEvent event) throws IOException {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (database != null) {
            database.close();
            database = null;
        }
    }

    @Override
    public String adminKey() {
        return kept("admin-key", () -> "gdw_admin_" + Ids.random(32));
    }

    @Override
    public String encryptionKey() {
        return kept("encryption-key", () -> Base64.getEncoder().encodeToString(Ids.randomBytes(32)));
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String jdbcUrl() {
        return database.jdbcUrl();
    }

    private void createTopics() throws Exception {
        List<String> wanted = new ArrayList<>(ingest.topics());
        wanted.add(ingest.dlqTopic());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, config.partitions(), (short) 1)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        }
    }

    private synchronized String kept(String name, Supplier<String> generate) {
        Path file = config.dataDir().toAbsolutePath().resolve(name);
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(file.getParent());
            String value = generate.get();
            Files.writeString(file, value);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep " + file, e);
        }
    }
}
