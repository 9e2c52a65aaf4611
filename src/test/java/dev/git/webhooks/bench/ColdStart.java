package dev.git.webhooks.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.testing.Infrastructure;
import dev.git.webhooks.testing.ServiceProcess;
import io.vertx.core.Vertx;

/**
 * A fresh instance under load (the production issue's item 0): for each variant (JDK and what it starts from), a new
 * service process is started on the same database and broker and sent {@code bench.cold-events} events × 4 endpoints
 * as fast as it takes them, three times over. The service's CPU per 1,000 deliveries of the first batch (cold JIT)
 * is divided by that of the third (warm): the ratio the issue asks to bring within 2. Variants with a cache are
 * trained first by an instance of their own that takes one batch and is then stopped (the JVM writes its archive
 * or AOT cache at exit).
 *
 * <pre>./mvnw -B package -DskipTests -Pbenchmark -Dbench.main=dev.git.webhooks.bench.ColdStart</pre>
 */
public final class ColdStart {

    private static final int EVENTS = Integer.getInteger("bench.cold-events", 25_000);
    private static final int ENDPOINTS = 4;
    private static final int BATCHES = 3;
    private static final List<String> VARIANTS = List.of(
            System.getProperty("bench.cold-variants", "jdk17,jdk17-shipped,jdk17-cds,jdk25-aot").split(","));
    private static final Path JDK17 = Path.of(System.getProperty("java.home"));
    private static final Path JDK25 = Path.of(System.getProperty("bench.jdk25",
            "/usr/lib/jvm/temurin-25-jdk-amd64"));
    private static final Path CACHES = Path.of("target", "cold-start").toAbsolutePath();

    private final List<String> report = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        new ColdStart().run();
        System.exit(0);
    }

    /** What one variant runs on: a JDK, a packaging, the options of its training run and of its measured run. */
    private record Variant(String name, Path javaHome, Path jar, List<String> training, List<String> options) {

        /**
         * {@code jdk17} or {@code jdk25}, then any of {@code -c1} (the JIT stops at C1), {@code -cds} (a dynamic
         * AppCDS archive of a training run), {@code -aot} (JDK 25's AOT cache of a training run, with its method
         * profiles) and {@code -aotjar} (the packaging {@code bench.aot-jar} names instead of the fast-jar: Quarkus's
         * {@code aot-jar}, whose classes the JVM's own class loaders load, so that an archive or cache holds them),
         * {@code -shipped} (the AppCDS archive that {@code package} made, as deploy/Dockerfile runs it); then any JVM
         * options, each after a {@code +}.
         */
        static Variant named(String variant) {
            // anything after a '+' is a JVM option of its own: jdk17-c1+-XX:CICompilerCount=2
            List<String> raw = List.of(variant.split("\\+"));
            String name = raw.get(0);
            List<String> parts = List.of(name.split("-"));
            Path javaHome = switch (parts.get(0)) {
                case "jdk17" -> JDK17;
                case "jdk25" -> JDK25;
                default -> throw new IllegalArgumentException("unknown JDK in " + name + " (jdk17, jdk25)");
            };
            Path jar = ServiceProcess.jar();
            List<String> training = null;
            List<String> options = new ArrayList<>();
            for (String part : parts.subList(1, parts.size())) {
                switch (part) {
                    case "c1" -> options.add("-XX:TieredStopAtLevel=1");
                    case "cds" -> {
                        String archive = CACHES.resolve(name + ".jsa").toString();
                        training = List.of("-XX:ArchiveClassesAtExit=" + archive);
                        options.add("-XX:SharedArchiveFile=" + archive);
                    }
                    case "aot" -> {
                        String cache = CACHES.resolve(name + ".aot").toString();
                        training = List.of("-XX:AOTCacheOutput=" + cache);
                        options.add("-XX:AOTCache=" + cache);
                    }
                    case "aotjar" -> jar = Path.of(System.getProperty("bench.aot-jar")).toAbsolutePath();
                    case "shipped" -> options.add("-XX:SharedArchiveFile=" + jar.toAbsolutePath().resolveSibling("app-cds.jsa"));
                    default -> throw new IllegalArgumentException("unknown part " + part + " of " + name
                            + " (c1, cds, aot, aotjar, shipped)");
                }
            }
            options.addAll(raw.subList(1, raw.size()));
            if (training != null) {
                // the training run compiles as the measured one will: its profiles and archive are the same kind
                List<String> trained = new ArrayList<>(options.stream().filter(o -> !o.startsWith("-XX:Shared")
                        && !o.startsWith("-XX:AOTCache=")).toList());
                trained.addAll(training);
                training = trained;
            }
            return new Variant(variant, javaHome, jar, training, options);
        }
    }

    private void run() throws Exception {
        Files.createDirectories(CACHES);
        Infrastructure.startOnce();
        Vertx vertx = Vertx.vertx();
        Receiver receiver = new Receiver(vertx);
        String owner = "cold-" + Ids.random(6);
        Map<String, String> env = ServiceProcess.environment();
        try (ServiceProcess setUp = ServiceProcess.start(env).awaitReady(Duration.ofSeconds(120))) {
            Benchmark.setUp(setUp, owner, receiver.port(), ENDPOINTS, "/cold/");
        }
        line("# Cold start run %s", java.time.Instant.now());
        line("%d cores; per variant a new instance takes %d batches of %d events x %d endpoints (%d deliveries), each "
                + "published as fast as the broker takes it; service CPU per 1,000 deliveries of each batch",
                Runtime.getRuntime().availableProcessors(), BATCHES, EVENTS, ENDPOINTS, EVENTS * ENDPOINTS);
        line("");
        line("| variant | ready after | CPU to ready | CPU per 1,000: batch 1 / 2 / 3 | batch 1 ÷ batch 3 | deliveries/s: "
                + "batch 1 / 3 |");
        line("|---|---|---|---|---|---|");
        for (String name : VARIANTS) {
            Variant variant = Variant.named(name.trim());
            if (variant.training() != null) {
                clear();
                try (ServiceProcess training = ServiceProcess.on(variant.javaHome(), variant.jar(), env,
                        variant.training()).awaitReady(Duration.ofSeconds(180))) {
                    batch(receiver, owner);
                    stopAndWait(training);
                }
            }
            clear();
            long started = System.nanoTime();
            try (ServiceProcess service = ServiceProcess.on(variant.javaHome(), variant.jar(), env,
                    variant.options()).awaitReady(Duration.ofSeconds(180))) {
                double ready = (System.nanoTime() - started) / 1e9;
                Costs costs = new Costs(Infrastructure.jdbcUrl(), Infrastructure.username(),
                        Infrastructure.password(), service.process().pid(), Infrastructure.postgresDataDir());
                Costs.Reading atReady = costs.read();
                double[] perThousand = new double[BATCHES];
                double[] rate = new double[BATCHES];
                boolean complete = true;
                for (int b = 0; b < BATCHES; b++) {
                    Costs.Reading before = costs.read();
                    long start = System.currentTimeMillis();
                    complete &= batch(receiver, owner);
                    rate[b] = EVENTS * ENDPOINTS / ((receiver.lastArrival() - start) / 1000.0);
                    perThousand[b] = 1000.0 * costs.read().minus(before).serviceCpuMillis() / (EVENTS * ENDPOINTS);
                }
                stopAndWait(service);
                line("| %s (Java %s)%s | %.1f s | %d ms | %.0f / %.0f / %.0f ms | %.2f | %.0f / %.0f |", variant.name(),
                        version(variant.javaHome()), complete ? "" : " INCOMPLETE", ready,
                        atReady.serviceCpuMillis(), perThousand[0], perThousand[1], perThousand[2],
                        perThousand[0] / perThousand[2], rate[0], rate[BATCHES - 1]);
            }
        }
        receiver.close();
        Path out = Path.of("target", "cold-start.md");
        Files.write(out, report);
        System.out.println("written to " + out.toAbsolutePath());
    }

    /** One batch: published, then awaited at the receiver (reset first); false if it did not all arrive. */
    private static boolean batch(Receiver receiver, String owner) throws InterruptedException {
        receiver.reset();
        Benchmark.publish(owner, EVENTS, 0, new ConcurrentHashMap<>());
        return Benchmark.await(receiver, EVENTS * ENDPOINTS, Duration.ofMinutes(5));
    }

    /** SIGTERM and a wait long enough for the JVM to write its archive or AOT cache on the way out. */
    private static void stopAndWait(ServiceProcess service) throws InterruptedException {
        service.process().destroy();
        if (!service.process().waitFor(5, TimeUnit.MINUTES)) {
            service.kill();
        }
    }

    /** Every variant starts from the same tables: the deliveries and events of the runs before are gone. */
    private static void clear() throws Exception {
        try (Connection c = DriverManager.getConnection(Infrastructure.jdbcUrl(), Infrastructure.username(),
                Infrastructure.password()); Statement s = c.createStatement()) {
            s.execute("truncate delivery_attempt, delivery, event cascade");
            s.execute("vacuum analyze");
        }
    }

    private static String version(Path javaHome) throws Exception {
        Path release = javaHome.resolve("release");
        return Files.readAllLines(release).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                .map(l -> l.substring("JAVA_VERSION=".length()).replace("\"", "")).findFirst().orElse("?");
    }

    private void line(String format, Object... args) {
        String text = format.formatted(args);
        report.add(text);
        System.out.println(text);
    }
}
