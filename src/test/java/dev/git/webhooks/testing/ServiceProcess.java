package dev.git.webhooks.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) run as a separate JVM, configured only by
 * environment variables as in production, against the test broker and database. Each instance listens on two free
 * ports, as in production on two fixed ones: the public one (the API, the console) and the management one (health,
 * metrics, the OpenAPI document), so that several instances run side by side.
 */
public final class ServiceProcess implements AutoCloseable {

    public static final String ADMIN_KEY = "it-admin-key-0123456789abcdef";
    public static final String ENCRYPTION_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    /**
     * The collector of the JVMs the tests start (the ITs' instances, the broker process), as the pom's
     * {@code test.gc} gives the test JVMs: see {@link #start(Map)}.
     */
    public static final List<String> TEST_GC = List.of("-XX:+UseSerialGC", "-XX:MetaspaceSize=256m");
    /** The JVM options of the ITs' instances: see {@link #start(Map)}. */
    private static final List<String> TEST_JVM = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("-XX:TieredStopAtLevel=1"), TEST_GC.stream()).toList();

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private ServiceProcess(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /** The environment of a production start against the test infrastructure, before overrides. */
    public static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", Infrastructure.bootstrapServers());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", Infrastructure.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", Infrastructure.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", Infrastructure.password());
        env.put("WEBHOOKS_ADMIN_KEY", ADMIN_KEY);
        env.put("WEBHOOKS_SECRETS_ENCRYPTION_KEY", ENCRYPTION_KEY);
        env.put("WEBHOOKS_DELIVERY_ALLOW_HTTP", "true");
        env.put("WEBHOOKS_DELIVERY_ALLOWED_NETWORKS", "127.0.0.0/8");
        return env;
    }

    /**
     * Starts the packaged service. Its JIT stops at C1 ({@code -XX:TieredStopAtLevel=1}): an instance of an IT lives
     * for seconds to a minute and a half, in which C2's compilations took most of its CPU and never paid back (with
     * two IT JVMs at once on two cores, the ITs took 10m50s of CPU with C2 and 6m57s without); and it collects with
     * the serial collector, as the test JVMs do (G1's concurrent work costs more CPU than a 512 MB heap of short-lived
     * objects needs, and the suite runs on two cores), its metaspace first collected at 256 MB (not in a full
     * collection at each step of its growth while the classes load). The benchmark measures the service as shipped
     * ({@link #asShipped}).
     */
    public static ServiceProcess start(Map<String, String> env) throws IOException {
        return start(env, TEST_JVM);
    }

    /** Starts the packaged service with the JVM's defaults, as production runs it: for measurements. */
    public static ServiceProcess asShipped(Map<String, String> env) throws IOException {
        return start(env, List.of());
    }

    private static ServiceProcess start(Map<String, String> env, List<String> jvmOptions) throws IOException {
        Path jar = jar();
        List<String> options = new ArrayList<>(jvmOptions);
        Path archive = jar.toAbsolutePath().resolveSibling("app-cds.jsa");
        if (Files.exists(archive)) { // as deploy/Dockerfile runs it; made at package time by this JDK
            options.add("-XX:SharedArchiveFile=" + archive);
        }
        return on(Path.of(System.getProperty("java.home")), jar, env, options);
    }

    /**
     * Starts the service packaged as {@code jar} on the JDK at {@code javaHome} with these options (an AppCDS archive,
     * an AOT cache): the cold-start benchmark compares JDKs, packagings and caches with it.
     */
    public static ServiceProcess on(Path javaHome, Path jar, Map<String, String> env, List<String> jvmOptions)
            throws IOException {
        int port = freePort();
        int managementPort = freePort();
        Path log = Files.createTempFile("webhooks-service-", ".log");
        String java = javaHome.resolve("bin").resolve("java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
        command.addAll(jvmOptions);
        // from the application's directory, as deploy/Dockerfile runs it: a class archive holds the class path
        // relative to it (quarkus-run.jar:quarkus/…:lib/…) and is not mapped from anywhere else
        command.addAll(List.of("-jar", jar.getFileName().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(jar.toAbsolutePath().getParent().toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("WEBHOOKS_") || k.startsWith("QUARKUS_")
                || k.startsWith("KAFKA_"));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        return new ServiceProcess(builder.start(), port, managementPort, log);
    }

    public static Path jar() {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the application first (mvn package): " + jar.toAbsolutePath());
        }
        return jar;
    }

    /** An owner's API key, issued with the admin key. */
    public String newKey(String owner, List<String> scopes) {
        return Json.at(RestAssured.given().baseUri(baseUrl())
                .header("Authorization", "Bearer " + ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("owner", owner, "plan", "enterprise", "scopes", scopes))
                .post("/v2/api-keys").then().statusCode(201).extract(), "key");
    }

    /** An operator's key (no owner) with these scopes, issued with the admin key. */
    public String newOperatorKey(List<String> scopes) {
        return Json.at(RestAssured.given().baseUri(baseUrl())
                .header("Authorization", "Bearer " + ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("plan", "enterprise", "scopes", scopes))
                .post("/v2/api-keys").then().statusCode(201).extract(), "key");
    }

    /** Requests to this service as {@code key}. */
    public RequestSpecification as(String key) {
        return RestAssured.given().baseUri(baseUrl()).header("Authorization", "Bearer " + key)
                .contentType(ContentType.JSON);
    }

    /** The public port: the API and the console. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The management port: {@code /q/health/*}, {@code /q/metrics}, {@code /q/openapi}. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public Process process() {
        return process;
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    /** Waits until {@code /q/health/ready} answers 200 on the management port. */
    public ServiceProcess awaitReady(Duration timeout) throws IOException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            Awaitility.await("the service is ready").atMost(timeout).pollInterval(Duration.ofMillis(200))
                    .failFast("the service exited", () -> !process.isAlive())
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException(e.getMessage() + ": " + output(), e);
        }
        return this;
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (Boolean.getBoolean("webhooks.test.service-logs")) {
            try {
                System.out.println("---- service log " + log + " ----\n" + output());
            } catch (IOException e) {
                System.out.println("no service log: " + e);
            }
        }
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
