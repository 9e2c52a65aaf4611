package dev.git.webhooks.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * What {@code package} builds, and the container image copies ({@code target/quarkus-app}, deploy/Dockerfile), holds
 * no dev-mode code: dev mode's embedded Kafka broker and PostgreSQL, quick start and sample receiver
 * ({@code dev.git.webhooks.local}, in src/dev/java) are compiled into the application by {@code quarkus:dev} only,
 * and the broker and database libraries ({@code provided}) are not shipped. The other tests still use the embedded
 * broker and database: in this build they are test classes.
 */
class ProductionArtifactIT {

    private static final Path APP = Path.of("target", "quarkus-app");
    private static final String LOCAL = "dev/git/webhooks/local/";

    @Test
    void thePackagedServiceHoldsNoDevModeCode() throws IOException {
        List<Path> jars = new ArrayList<>(jars(APP.resolve("app")));
        jars.addAll(jars(APP.resolve("quarkus")));
        jars.add(Path.of(System.getProperty("webhooks.application-jar", "target/missing-application.jar")));
        List<String> devCode = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        for (Path jar : jars) {
            assertThat("run mvn package first: " + jar, Files.isRegularFile(jar), equalTo(true));
            try (JarFile file = new JarFile(jar.toFile())) {
                for (JarEntry entry : file.stream().toList()) {
                    entries.add(entry.getName());
                    if (entry.getName().startsWith(LOCAL) || entry.getName().endsWith(".class")
                            && mentionsDevCode(file, entry)) {
                        devCode.add(jar.getFileName() + "!/" + entry.getName());
                    }
                }
            }
        }
        assertThat("dev-mode classes, or classes that refer to them, in the packaged service", devCode, empty());
        // the jars read are the application's own: its classes are there
        assertThat(entries, hasItem("dev/git/webhooks/common/RequiredSettings.class"));
        assertThat(entries, hasItem("dev/git/webhooks/delivery/engine/DeliveryEngine.class"));
    }

    @Test
    void theEmbeddedBrokerAndDatabaseAreNotShipped() throws IOException {
        List<String> libraries = jars(APP.resolve("lib").resolve("main")).stream()
                .map(p -> p.getFileName().toString()).toList();
        assertThat(libraries.stream().filter(name -> name.startsWith("org.apache.kafka.kafka-clients-")).count(),
                equalTo(1L));
        List<String> shipped = libraries.stream().filter(name -> name.startsWith("org.apache.kafka.kafka_")
                || name.startsWith("org.apache.kafka.kafka-server") || name.startsWith("org.apache.kafka.kafka-raft")
                || name.startsWith("org.apache.kafka.kafka-metadata")
                || name.startsWith("org.apache.kafka.kafka-storage") || name.startsWith("org.scala-lang.")
                || name.startsWith("io.zonky.")).toList();
        assertThat("libraries of the embedded broker and database", shipped, empty());
    }

    @Test
    void theTestsStillHaveTheEmbeddedBrokerAndDatabase() throws ClassNotFoundException {
        ClassLoader loader = getClass().getClassLoader();
        assertThat(loader.loadClass("dev.git.webhooks.local.EmbeddedKafkaBroker").getProtectionDomain()
                .getCodeSource().getLocation().getPath().endsWith("/test-classes/"), equalTo(true));
        loader.loadClass("dev.git.webhooks.local.EmbeddedDatabase");
    }

    private static boolean mentionsDevCode(JarFile file, JarEntry entry) throws IOException {
        try (InputStream in = file.getInputStream(entry)) {
            String bytes = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return bytes.contains(LOCAL) || bytes.contains("dev.git.webhooks.local.");
        }
    }

    private static List<Path> jars(Path dir) throws IOException {
        assertThat("run mvn package first: " + dir, Files.isDirectory(dir), equalTo(true));
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }
}
