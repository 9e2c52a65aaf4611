package dev.git.webhooks.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.testing.Infrastructure;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.ServiceProcess;
import io.vertx.core.Vertx;

/**
 * End-to-end benchmark (not a test): a real broker, PostgreSQL, the packaged service as its own JVM and a fast
 * local receiver. Publishes events to endpoints and reports deliveries a second and the latency from Kafka append
 * to receipt, next to the machine's own limits measured in the same run. See docs/benchmarks.md.
 */
public final class Benchmark {

    private static final String TOPIC = "repo.push";

    private static final List<Integer> RATES = List.of(50, 200, 500, 1000);
    private static final int HEALTHY = 10;
    private static final int ISOLATION_RATE = 200;
    private static final int ISOLATION_SECONDS = Integer.getInteger("bench.isolation-seconds", 40);
    /** {@code -Dbench.scale=true}: the scale run (10,000 endpoints, 1,000,000 due deliveries to a dead one). */
    private static final boolean SCALE = Boolean.getBoolean("bench.scale");
    private static final int SCALE_ENDPOINTS = Integer.getInteger("bench.scale-endpoints", 10_000);
    private static final int SCALE_BACKLOG = Integer.getInteger("bench.scale-backlog", 1_000_000);
    /** Events of the controls run's burst, each to the {@link #HEALTHY} free endpoints. */
    private static final int CONTROLS_BURST = 5_000;
    /**
     * {@code -Dbench.only=controls}: the warm-up and the controls run alone (to profile it with bench.jfr);
     * {@code -Dbench.only=scale}: the warm-up and the scale run alone; {@code -Dbench.only=paced}: the warm-up and
     * the latency curve alone, {@code bench.paced-rounds} times (3: the JIT's share falls from round to round);
     * {@code -Dbench.only=idle}: the warm-up and the service idle.
     */
    private static final String ONLY = System.getProperty("bench.only", "");
    /** {@code -Dbench.pg-waits=true}: what PostgreSQL's sessions wait on during each controls round, sampled. */
    private static final boolean PG_WAITS = Boolean.getBoolean("bench.pg-waits");

    private final int events = Integer.getInteger("bench.events", 40_000);
    private final int endpoints = Integer.getInteger("bench.endpoints", 4);
    private final int latencySeconds = Integer.getInteger("bench.latency-seconds", 10);
    private final int latencyEndpoints = Integer.getInteger("bench.latency-endpoints", 4);
    /** Events sent before the first latency curve, so that it measures a fresh database, not a cold JIT. */
    private final int warmUp = Integer.getInteger("bench.warm-up", 25_000);
    private final Map<String, Long> appended = new ConcurrentHashMap<>();
    /** Per curve and rate: the latency split at the store (Kafka append → stored, stored → receipt). */
    private final Map<String, String> splits = new java.util.TreeMap<>();
    private final List<String> report = new ArrayList<>();

    public static void main(String[] args) {
        int status = 0;
        try {
            new Benchmark().run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status); // the clients' threads would keep the JVM, and with it the Maven build, alive
    }

    private void run() throws Exception {
        Infrastructure.startOnce();
        logAppendTime();
        Vertx vertx = Vertx.vertx();
        Receiver receiver = new Receiver(vertx);
        String owner = "bench-" + Ids.random(6);
        byte[] sample = event("evt_sample", owner);
        line("# Benchmark run %s", java.time.Instant.now());
        line("machine: %d cores, Java %s; throughput: %d events x %d endpoints; latency curve at %s events/s x %d "
                + "endpoints for %d s each, fresh (after a warm-up of %d events) and right after the burst; "
                + "isolation: %d healthy endpoints at %d events/s, without and with one hanging endpoint",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), events, endpoints,
                RATES, latencyEndpoints, latencySeconds, warmUp, HEALTHY, ISOLATION_RATE);
        Map<String, String> env = ServiceProcess.environment();
        // -Dbench.service-env=WEBHOOKS_INGEST_LINGER=0ms: settings of the service changed for this run (to compare)
        for (String setting : System.getProperty("bench.service-env", "").split(",")) {
            if (setting.contains("=")) {
                int eq = setting.indexOf('=');
                env.put(setting.substring(0, eq).strip(), setting.substring(eq + 1));
                line("service setting for this run: %s", setting.strip());
            }
        }
        try (ServiceProcess service = ServiceProcess.asShipped(env).awaitReady(Duration.ofSeconds(120))) {
            List<String> paths = setUp(service, owner, receiver.port(), endpoints, "/endpoint/");
            if (ONLY.equals("controls") || ONLY.equals("scale") || ONLY.equals("idle") || ONLY.equals("paced")) {
                publish(owner, warmUp, 0);
                line("warm-up: %d events x %d endpoints%s", warmUp, endpoints,
                        await(receiver, warmUp * endpoints, Duration.ofSeconds(300)) ? "" : ", INCOMPLETE");
                if (ONLY.equals("controls")) {
                    controlsLines(controls(service, receiver));
                } else if (ONLY.equals("scale")) {
                    scaleLine(scale(service, receiver));
                } else if (ONLY.equals("paced")) {
                    pacedOnly(service, receiver, owner);
                } else {
                    idle(service);
                }
                writeReport();
                return;
            }
            String latencyOwner = owner + "-latency";
            List<String> latencyPaths = setUp(service, latencyOwner, receiver.port(), latencyEndpoints, "/latency/");
            Costs costs = new Costs(Infrastructure.jdbcUrl(), Infrastructure.username(), Infrastructure.password(),
                    service.process().pid(), Infrastructure.postgresDataDir());

            double receiverJava = RawLimits.receiver(vertx, receiver.port(), sample, endpoints * 8,
                    Duration.ofSeconds(5));
            Double receiverWrk = RawLimits.receiverWrk(receiver.port(), sample, endpoints * 8, Duration.ofSeconds(5));
            // divided by the higher of the two tools' figures: the ratio then never flatters the service
            double receiverRaw = receiverWrk == null ? receiverJava : Math.max(receiverWrk, receiverJava);
            double[] kafkaRaw = RawLimits.kafka(Infrastructure.bootstrapServers(), sample, events);
            double postgresJdbc = RawLimits.postgres(Infrastructure.jdbcUrl(), Infrastructure.username(),
                    Infrastructure.password(), events, endpoints, sample);
            Double postgresPgbench = RawLimits.postgresPgbench(Infrastructure.jdbcUrl(), Infrastructure.username(),
                    Infrastructure.password(), 10);
            double postgresRaw = postgresPgbench == null ? postgresJdbc : Math.max(postgresPgbench, postgresJdbc);
            double combined = 1 / (1 / receiverRaw + 1 / postgresRaw);
            receiver.reset();

            publish(owner, warmUp, 0); // warm-up: JIT, pools, connections
            boolean warmed = await(receiver, warmUp * endpoints, Duration.ofSeconds(300));
            line("warm-up: %d events x %d endpoints%s", warmUp, endpoints, warmed ? "" : ", INCOMPLETE");

            Costs.Reading beforeCurve = costs.read();
            flightRecording(service, "paced", true);
            Map<Integer, String> fresh = curve(receiver, latencyOwner, latencyPaths, "fresh");
            flightRecording(service, "paced", false);
            Costs.Reading pacedCost = costs.read().minus(beforeCurve);
            long pacedDeliveries = (long) RATES.stream().mapToInt(Integer::intValue).sum() * latencySeconds
                    * latencyPaths.size();

            receiver.reset();
            appended.clear();
            Costs.Reading before = costs.read();
            flightRecording(service, "burst", true);
            long start = System.currentTimeMillis();
            publish(owner, events, 0);
            long firstAppend = Collections.min(appended.values());
            boolean complete = await(receiver, events * endpoints, Duration.ofMinutes(10));
            flightRecording(service, "burst", false);
            double seconds = (receiver.lastArrival() - Math.min(start, firstAppend)) / 1000.0;
            int delivered = receiver.distinctDeliveries();
            double throughput = delivered / seconds;
            List<Long> burstLatency = latencies(receiver, paths);
            long duplicates = receiver.requests() - delivered;
            Costs.Reading spent = costs.read().minus(before);
            String bloat = RawLimits.bloat(Infrastructure.jdbcUrl(), Infrastructure.username(),
                    Infrastructure.password());

            Costs.Reading beforeAfterCurve = costs.read();
            Map<Integer, String> afterBurst = curve(receiver, latencyOwner, latencyPaths, "after");
            Costs.Reading pacedAfterCost = costs.read().minus(beforeAfterCurve);
            // the latency target's own point: half the capacity just measured, on the latency endpoints
            int halfRate = (int) Math.round(throughput / 2 / latencyPaths.size());
            String atHalf = paced(receiver, latencyOwner, latencyPaths, halfRate, "half");
            String[] isolation = isolation(service, receiver);
            String[] controls = controls(service, receiver);
            String[] scale = SCALE ? scale(service, receiver) : null;

            line("");
            line("| measure | value | ratio |");
            line("|---|---|---|");
            line("| receiver raw capacity: wrk -t2 -c%d / one Java client in this JVM (the higher is divided by) | %s / "
                    + "%.0f req/s | |", endpoints * 8, receiverWrk == null ? "wrk not installed" : "%.0f".formatted(
                    receiverWrk), receiverJava);
            line("| Kafka raw: produce (acks=all) / consume | %.0f / %.0f records/s | |", kafkaRaw[0], kafkaRaw[1]);
            line("| PostgreSQL raw, the same outbox row work alone: the service's statements over JDBC / pgbench (the "
                    + "higher is divided by) | %.0f / %s deliveries/s | |", postgresJdbc, postgresPgbench == null
                    ? "pgbench not installed" : "%.0f".formatted(postgresPgbench));
            line("| combined raw limit 1/(1/receiver + 1/PostgreSQL) | %.0f deliveries/s | 1.00 |", combined);
            line("| **service: deliveries/s** (%d events x %d endpoints%s) | **%.0f** | **%.2f** of combined (%.2f "
                    + "of receiver, %.2f of PostgreSQL) |", events, endpoints, complete ? "" : ", INCOMPLETE",
                    throughput, throughput / combined, throughput / receiverRaw, throughput / postgresRaw);
            line("| cost per delivery (throughput run) | %s | |", spent.perDelivery(delivered));
            line("| cost per delivery (paced latency runs, fresh database) | %s | |",
                    pacedCost.perDelivery(pacedDeliveries));
            line("| cost per delivery (the same paced runs right after the burst: the JIT further along) | %s | |",
                    pacedAfterCost.perDelivery(pacedDeliveries));
            line("| dead tuples and sizes after the burst | %s | |", bloat);
            line("| burst: append-to-receipt p50 / p95 / p99 | %s | |", percentiles(burstLatency));
            line("| duplicates seen by the receiver | %d | |", duplicates);
            for (int rate : RATES) {
                line("| %d events/s x %d endpoints, append-to-receipt p50 / p95 / p99: fresh / after the burst "
                        + "| %s / %s | |", rate, latencyEndpoints, fresh.get(rate), afterBurst.get(rate));
            }
            for (int rate : RATES) {
                line("| %d events/s, split p50 / p95 / p99: append → stored (ingest), stored → receipt (delivery); "
                        + "fresh / after the burst | %s / %s | |", rate, splits.get("fresh " + rate),
                        splits.get("after " + rate));
            }
            line("| at half the capacity just measured: %d events/s x %d endpoints, append-to-receipt p50 / p95 / p99 "
                    + "(split: %s) | %s | |", halfRate, latencyEndpoints, splits.get("half " + halfRate), atHalf);
            line("| isolation: healthy endpoints' p99 without / with a hanging endpoint | %s / %s | x%s |",
                    isolation[0], isolation[1], isolation[2]);
            controlsLines(controls);
            if (scale != null) {
                scaleLine(scale);
            }
        } finally {
            receiver.close();
        }
        writeReport();
    }

    /**
     * {@code -Dbench.only=idle}: what the service and PostgreSQL spend with nothing to deliver, per second, over
     * {@code bench.isolation-seconds} after the warm-up: the fixed cost that paced traffic shares (at 200 deliveries a
     * second, 10 ms of CPU a second is 50 ms per 1,000 deliveries). With {@code bench.jfr},
     * {@code target/jfr-idle.jfr}.
     */
    private void idle(ServiceProcess service) throws Exception {
        Costs costs = new Costs(Infrastructure.jdbcUrl(), Infrastructure.username(), Infrastructure.password(),
                service.process().pid(), Infrastructure.postgresDataDir());
        awaitRecorded(); // the warm-up's last outcomes written: the readings after count only what follows
        Costs.Reading before = costs.read();
        Map<String, Long> threadsBefore = Costs.cpuMillisByThread(service.process().pid());
        flightRecording(service, "idle", true);
        Thread.sleep(ISOLATION_SECONDS * 1000L);
        flightRecording(service, "idle", false);
        Costs.Reading spent = costs.read().minus(before);
        String top = topThreads(service, threadsBefore, ISOLATION_SECONDS);
        line("| idle, per second over %d s: CPU of the service / PostgreSQL; commits; WAL | %.1f / %.1f ms; %.1f; %.0f "
                + "bytes | |", ISOLATION_SECONDS, spent.serviceCpuMillis() / (double) ISOLATION_SECONDS,
                spent.postgresCpuMillis() / (double) ISOLATION_SECONDS, spent.commits() / (double) ISOLATION_SECONDS,
                spent.walBytes() / (double) ISOLATION_SECONDS);
        line("| idle: the service's CPU per second by thread (ms) | %s | |", top);
    }

    /**
     * {@code -Dbench.only=paced}: the warm-up, then the latency curve alone with its cost per delivery and the
     * service's CPU by kind of thread per 1,000 deliveries (to profile it with {@code bench.jfr}:
     * {@code target/jfr-paced.jfr}).
     */
    private void pacedOnly(ServiceProcess service, Receiver receiver, String owner) throws Exception {
        String latencyOwner = owner + "-latency";
        List<String> latencyPaths = setUp(service, latencyOwner, receiver.port(), latencyEndpoints, "/latency/");
        Costs costs = new Costs(Infrastructure.jdbcUrl(), Infrastructure.username(), Infrastructure.password(),
                service.process().pid(), Infrastructure.postgresDataDir());
        awaitRecorded(); // the warm-up's last outcomes written: the readings after count only what follows
        long deliveries = (long) RATES.stream().mapToInt(Integer::intValue).sum() * latencySeconds
                * latencyPaths.size();
        int rounds = Integer.getInteger("bench.paced-rounds", 3);
        for (int round = 1; round <= rounds; round++) {
            Costs.Reading before = costs.read();
            Map<String, Long> threadsBefore = Costs.cpuMillisByThread(service.process().pid());
            Map<String, Long> systemBefore = Costs.cpuMillisByThread(service.process().pid(), true);
            flightRecording(service, "paced-" + round, true);
            Map<Integer, String> curve = curve(receiver, latencyOwner, latencyPaths, "round " + round);
            flightRecording(service, "paced-" + round, false);
            Costs.Reading spent = costs.read().minus(before);
            line("| paced round %d: cost per delivery | %s | |", round, spent.perDelivery(deliveries));
            line("| paced round %d: the service's CPU per 1,000 deliveries by thread (ms) | %s | |", round,
                    topThreads(service, threadsBefore, deliveries / 1000.0));
            Map<String, Long> system = Costs.cpuMillisByThread(service.process().pid(), true);
            systemBefore.forEach((name, millis) -> system.merge(name, -millis, Long::sum));
            line("| paced round %d: of which in the kernel (system calls), by thread (ms) | %s | |", round,
                    system.entrySet().stream().filter(e -> e.getValue() > 0)
                            .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                            .map(e -> "%s %.1f".formatted(e.getKey(), e.getValue() / (deliveries / 1000.0)))
                            .collect(java.util.stream.Collectors.joining(", ")));
            for (int rate : RATES) {
                line("| paced round %d: %d events/s x %d endpoints, append-to-receipt p50 / p95 / p99 (split: %s) "
                        + "| %s | |", round, rate, latencyEndpoints, splits.get("round " + round + " " + rate),
                        curve.get(rate));
            }
        }
    }

    /** The service's threads that spent the most CPU since {@code before}, by kind, each divided by {@code per}. */
    private static String topThreads(ServiceProcess service, Map<String, Long> before, double per)
            throws java.io.IOException {
        Map<String, Long> threads = Costs.cpuMillisByThread(service.process().pid());
        before.forEach((name, millis) -> threads.merge(name, -millis, Long::sum));
        return threads.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                .map(e -> "%s %.1f".formatted(e.getKey(), e.getValue() / per))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private void scaleLine(String[] scale) {
        line("| scale: %s endpoints in all; the healthy endpoints' p99 without / with %s due deliveries to a dead "
                + "endpoint | %s / %s | x%s |", scale[0], scale[1], scale[2], scale[3], scale[4]);
    }

    /** The report, to stdout as it went and to {@code target/benchmark-results.md}. */
    private void writeReport() throws java.io.IOException {
        Path out = Path.of("target", "benchmark-results.md");
        Files.writeString(out, String.join("\n", report) + "\n");
        System.out.println("\nWritten to " + out.toAbsolutePath());
    }

    /**
     * With {@code -Dbench.jfr=true}, a JDK Flight Recording of the service ({@code settings=profile}) around a phase,
     * written to {@code target/jfr-<name>.jfr}: {@code jfr print --events jdk.ExecutionSample} and friends read it.
     */
    private static void flightRecording(ServiceProcess service, String name, boolean start) throws Exception {
        if (!Boolean.getBoolean("bench.jfr")) {
            return;
        }
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        String pid = String.valueOf(service.process().pid());
        List<String> command = start
                ? List.of(jcmd, pid, "JFR.start", "name=" + name, "settings=profile")
                : List.of(jcmd, pid, "JFR.stop", "name=" + name, "filename="
                        + Path.of("target", "jfr-" + name + ".jfr").toAbsolutePath());
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor();
    }

    /**
     * Events paced at {@code rate} a second for the latency run's seconds: p50 / p95 / p99 from Kafka append to
     * receipt (INCOMPLETE when some had not arrived in time); the split goes to {@link #splits} under
     * {@code label rate}.
     */
    private String paced(Receiver receiver, String owner, List<String> paths, int rate, String label)
            throws Exception {
        receiver.reset();
        appended.clear();
        publish(owner, rate * latencySeconds, rate);
        boolean complete = await(receiver, rate * latencySeconds * paths.size(), Duration.ofMinutes(2));
        splits.put(label + " " + rate, split(receiver, paths));
        return percentiles(latencies(receiver, paths)) + (complete ? "" : " INCOMPLETE");
    }

    /** Latency at each rate of {@link #RATES}: p50 / p95 / p99 from Kafka append to receipt. */
    private Map<Integer, String> curve(Receiver receiver, String owner, List<String> paths, String label)
            throws Exception {
        Map<Integer, String> curve = new java.util.TreeMap<>();
        for (int rate : RATES) {
            curve.put(rate, paced(receiver, owner, paths, rate, label));
        }
        return curve;
    }

    /**
     * Where the time goes: from the Kafka append to the store of the event ({@code event.received_at}, taken as its
     * batch's transaction starts: poll and waiting for the batch before it), and from there to the receipt (insert,
     * commit, lanes, signing, HTTP).
     */
    private String split(Receiver receiver, List<String> paths) throws java.sql.SQLException {
        Map<String, Long> stored = new java.util.HashMap<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(Infrastructure.jdbcUrl(),
                Infrastructure.username(), Infrastructure.password());
                java.sql.PreparedStatement select = c.prepareStatement("select id, (extract(epoch from received_at)"
                        + " * 1000)::int8 from event where id = any (?)")) {
            select.setArray(1, c.createArrayOf("text", appended.keySet().toArray()));
            try (java.sql.ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stored.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        List<Long> ingest = new ArrayList<>();
        List<Long> delivery = new ArrayList<>();
        appended.forEach((id, at) -> {
            Long storedAt = stored.get(id);
            if (storedAt != null) {
                ingest.add(storedAt - at);
                paths.forEach(path -> {
                    Long arrival = receiver.arrival(id, path);
                    if (arrival != null) {
                        delivery.add(arrival - storedAt);
                    }
                });
            }
        });
        Collections.sort(ingest);
        Collections.sort(delivery);
        return percentiles(ingest) + ", " + percentiles(delivery);
    }

    /**
     * {@link #HEALTHY} endpoints at {@link #ISOLATION_RATE} events/s, then the same with one more endpoint that
     * takes connections and never answers: the healthy endpoints' p99 both times, and the ratio.
     */
    private String[] isolation(ServiceProcess service, Receiver receiver) throws Exception {
        String healthyOwner = "iso-" + Ids.random(6);
        List<String> healthy = setUp(service, healthyOwner, receiver.port(), HEALTHY, "/iso/");
        long[] p99 = new long[2];
        boolean[] complete = new boolean[2];
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                setUp(service, healthyOwner, receiver.port(), 1, "/hang/");
            }
            receiver.reset();
            appended.clear();
            publish(healthyOwner, ISOLATION_RATE * ISOLATION_SECONDS, ISOLATION_RATE);
            complete[round] = await(receiver, ISOLATION_RATE * ISOLATION_SECONDS * HEALTHY, Duration.ofMinutes(2));
            List<Long> values = latencies(receiver, healthy);
            p99[round] = values.isEmpty() ? -1 : at(values, 0.99);
        }
        return new String[] {p99[0] + " ms" + (complete[0] ? "" : " INCOMPLETE"), p99[1] + " ms"
                + (complete[1] ? "" : " INCOMPLETE"), "%.2f".formatted((double) p99[1] / p99[0])};
    }

    /**
     * The per-endpoint controls beside free endpoints (SPEC §12): {@link #HEALTHY} endpoints of one owner, their
     * latency at {@link #ISOLATION_RATE} events/s and then a burst's throughput, in three conditions: alone; beside
     * two neighbours of other owners without controls (one fed its owner's events at 200/s throughout the round, one
     * with 5,000 deliveries due in the queue); and beside the same two neighbours with the controls on (the first
     * ordered per key, 16 keys; the second rate-limited to 50 a second). The second condition is the same traffic as
     * the third: what the controls cost the free endpoints is the third against the second; against the first, what
     * the neighbours cost in all. The three conditions three times in turn: the first pass warms and is not counted
     * (the JIT has seen only bursts until then), the next two are, so that the host's drift weighs on each alike; the
     * neighbours disabled after their round (a rate-limited backlog would otherwise drain into the rounds after it).
     * Per condition the two rounds' latencies are pooled and their bursts summed. Answers the p99s, the throughputs,
     * then the third condition's ratios to the first and to the second.
     */
    private String[] controls(ServiceProcess service, Receiver receiver) throws Exception {
        String freeOwner = "free-" + Ids.random(6);
        List<String> free = setUp(service, freeOwner, receiver.port(), HEALTHY, "/free/");
        List<String> conditions = List.of("alone", "plain neighbours", "controlled neighbours");
        List<List<Long>> pooled = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        long[] delivered = new long[3];
        long[] millis = new long[3];
        String[] complete = {"", "", ""};
        java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 9; round++) {
                int condition = round % 3;
                boolean measured = round >= 3; // the first pass warms: the JIT has seen only bursts until then
                java.util.concurrent.Future<?> fed = null;
                List<String> neighbours = new ArrayList<>();
                if (condition > 0) {
                    boolean controlled = condition == 2;
                    String fedOwner = (controlled ? "ordered-" : "plain-fed-") + Ids.random(6);
                    setUp(service, fedOwner, receiver.port(), 1, controlled ? "/ordered/" : "/plain-fed/",
                            controlled ? Map.of("ordering", Map.of("key", "/shard")) : Map.of());
                    String queuedOwner = (controlled ? "limited-" : "plain-queued-") + Ids.random(6);
                    setUp(service, queuedOwner, receiver.port(), 1, controlled ? "/limited/" : "/plain-queued/",
                            controlled ? Map.of("rate_limit", 50) : Map.of());
                    neighbours.addAll(List.of(fedOwner, queuedOwner));
                    backlog(queuedOwner, 5_000);
                    fed = background.submit(() -> {
                        publish(fedOwner, 200 * (ISOLATION_SECONDS + 20), 200, new ConcurrentHashMap<>());
                        return null;
                    });
                }
                receiver.reset();
                appended.clear();
                flightRecording(service, "controls-" + round, true);
                WaitSampler waits = PG_WAITS ? WaitSampler.start() : null;
                publish(freeOwner, ISOLATION_RATE * ISOLATION_SECONDS, ISOLATION_RATE);
                int expected = ISOLATION_RATE * ISOLATION_SECONDS * HEALTHY;
                boolean paced = awaitUnder(receiver, "/free/", expected, Duration.ofMinutes(2));
                flightRecording(service, "controls-" + round, false);
                if (waits != null) {
                    line("controls round %d, PostgreSQL's sessions: %s", round, waits.stop());
                }
                List<Long> values = latencies(receiver, free);
                if (measured) {
                    pooled.get(condition).addAll(values);
                }
                String split = split(receiver, free);
                String neighboursGot = condition == 0 ? "" : "; the neighbours received %d and %d meanwhile".formatted(
                        receiver.requestsUnder(condition == 2 ? "/ordered/" : "/plain-fed/"),
                        receiver.requestsUnder(condition == 2 ? "/limited/" : "/plain-queued/"));
                receiver.reset();
                long start = System.currentTimeMillis();
                publish(freeOwner, CONTROLS_BURST, 0);
                boolean burst = awaitUnder(receiver, "/free/", CONTROLS_BURST * HEALTHY, Duration.ofMinutes(5));
                long took = Math.max(1, receiver.lastArrivalUnder("/free/") - start);
                if (measured) {
                    delivered[condition] += receiver.arrivedUnder("/free/");
                    millis[condition] += took;
                }
                if (measured && (!paced || !burst)) {
                    complete[condition] = " INCOMPLETE";
                }
                if (fed != null) {
                    fed.cancel(true);
                }
                for (String neighbour : neighbours) {
                    disableAll(service, neighbour);
                }
                line("controls round %d (%s%s): free endpoints' p99 %d ms%s (p50 / p95 / p99 of ingest, delivery: %s), "
                        + "burst %.0f deliveries/s%s", round, conditions.get(condition),
                        measured ? "" : ", warming, not counted",
                        values.isEmpty() ? -1 : at(values, 0.99), paced ? "" : " INCOMPLETE", split,
                        receiver.arrivedUnder("/free/") * 1000.0 / took, neighboursGot);
            }
        } finally {
            background.shutdownNow();
        }
        long[] p99 = new long[3];
        double[] throughput = new double[3];
        List<String> answer = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            Collections.sort(pooled.get(c));
            p99[c] = pooled.get(c).isEmpty() ? -1 : at(pooled.get(c), 0.99);
            throughput[c] = delivered[c] * 1000.0 / Math.max(1, millis[c]);
            answer.add(p99[c] + " ms" + complete[c]);
        }
        for (int c = 0; c < 3; c++) {
            answer.add("%.0f".formatted(throughput[c]) + complete[c]);
        }
        answer.add("%.2f".formatted((double) p99[2] / p99[0]));
        answer.add("%.2f".formatted((double) p99[2] / p99[1]));
        answer.add("%.2f".formatted(throughput[2] / throughput[0]));
        answer.add("%.2f".formatted(throughput[2] / throughput[1]));
        return answer.toArray(String[]::new);
    }

    /** Disables every endpoint of {@code owner} through the API: their queued deliveries stop. */
    private static void disableAll(ServiceProcess service, String owner) {
        String key = service.newKey(owner, List.of("webhooks:write", "webhooks:read"));
        List<String> ids = service.as(key).queryParam("limit", 100).get("/v2/webhooks").then().statusCode(200)
                .extract().as(Json.Doc.class).at("data.id");
        ids.forEach(id -> service.as(key).post("/v2/webhooks/" + id + "/disable").then().statusCode(200));
    }

    private void controlsLines(String[] controls) {
        line("| controls: %d free endpoints alone / beside two neighbours without controls (one fed 200 events/s, one "
                + "with 5,000 queued) / beside the same with the controls (ordered per key, 16 keys; rate_limit 50): "
                + "p99 at %d events/s, two rounds each pooled | %s / %s / %s | x%s of alone, x%s of plain neighbours "
                + "|", HEALTHY, ISOLATION_RATE, controls[0], controls[1], controls[2], controls[6], controls[7]);
        line("| controls: the free endpoints' burst (%d events x %d), the same conditions, two rounds each | %s / %s / "
                + "%s deliveries/s | x%s of alone, x%s of plain neighbours |", CONTROLS_BURST, HEALTHY, controls[3],
                controls[4], controls[5], controls[8], controls[9]);
    }

    private static boolean awaitUnder(Receiver receiver, String segment, int events, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (receiver.arrivedUnder(segment) < events && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return receiver.arrivedUnder(segment) >= events;
    }

    /**
     * The scale run: {@code SCALE_ENDPOINTS} endpoints in all (created through the API by four owners at once, each
     * with a key of its own), then the isolation run's 10 healthy endpoints at 200 events/s without and with
     * {@code SCALE_BACKLOG} due deliveries of a dead endpoint (one that takes connections and never answers) written
     * straight into the queue. Answers the counts, both p99s and their ratio.
     */
    private String[] scale(ServiceProcess service, Receiver receiver) throws Exception {
        java.util.concurrent.ExecutorService creators = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> made = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String idle = "scale-" + t + "-" + Ids.random(6);
            made.add(creators.submit(() -> setUp(service, idle, receiver.port(), SCALE_ENDPOINTS / 4, "/idle/")));
        }
        for (java.util.concurrent.Future<?> f : made) {
            f.get();
        }
        creators.shutdown();
        String healthyOwner = "scale-healthy-" + Ids.random(6);
        List<String> healthy = setUp(service, healthyOwner, receiver.port(), HEALTHY, "/scale-ok/");
        String deadOwner = "scale-dead-" + Ids.random(6);
        setUp(service, deadOwner, receiver.port(), 1, "/hang/scale");
        long[] p99 = new long[2];
        boolean[] complete = new boolean[2];
        // round -1 is not measured: the healthy endpoints' path warms up after the 10,000 endpoints were made (the C2
        // compiler took 22 of the 30 s of the first measured round when it came right after them)
        for (int round = -1; round < 2; round++) {
            if (round == 1) {
                backlog(deadOwner, SCALE_BACKLOG);
            }
            settle();
            receiver.reset();
            appended.clear();
            flightRecording(service, "scale-" + round, true);
            WaitSampler waits = PG_WAITS ? WaitSampler.start() : null;
            publish(healthyOwner, ISOLATION_RATE * ISOLATION_SECONDS, ISOLATION_RATE);
            boolean arrived = await(receiver, ISOLATION_RATE * ISOLATION_SECONDS * HEALTHY, Duration.ofMinutes(2));
            flightRecording(service, "scale-" + round, false);
            String sessions = waits == null ? null : waits.stop();
            if (round < 0) {
                continue;
            }
            complete[round] = arrived;
            if (sessions != null) {
                line("scale round %d, PostgreSQL's sessions: %s", round, sessions);
            }
            List<Long> values = latencies(receiver, healthy);
            line("scale round %d: the healthy endpoints' split %s; the dead endpoint got %d requests", round,
                    split(receiver, healthy), receiver.requestsUnder("/hang/"));
            p99[round] = values.isEmpty() ? -1 : at(values, 0.99);
        }
        return new String[] {"%,d".formatted(SCALE_ENDPOINTS + HEALTHY + 1), "%,d".formatted(SCALE_BACKLOG),
                p99[0] + " ms" + (complete[0] ? "" : " INCOMPLETE"), p99[1] + " ms" + (complete[1] ? "" : " INCOMPLETE"),
                "%.2f".formatted((double) p99[1] / p99[0])};
    }

    /**
     * Before each round of the scale run: a vacuum of {@code delivery} and a checkpoint, so that no round meets the
     * autovacuum or the checkpoint that the writes before it set off (the warm-up's, or the backlog's). A backlog of a
     * million due deliveries builds up over hours, vacuumed on the way, not in one statement a second before; writing
     * it so leaves a third of a gigabyte of WAL and dirty pages, and a table to vacuum, which the first seconds of the
     * round would pay for on this machine's two cores and one disk, whatever the service did (runs R4 and R5 in
     * docs/benchmarks.md measured the rounds without it).
     */
    private static void settle() {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(Infrastructure.jdbcUrl(),
                Infrastructure.username(), Infrastructure.password());
                java.sql.Statement s = c.createStatement()) {
            s.execute("vacuum (analyze) delivery");
            s.execute("checkpoint");
        } catch (java.sql.SQLException e) {
            // a database of one's own (WEBHOOKS_TEST_JDBC_URL) may not let its user checkpoint: the round runs as it is
            System.out.println("the scale run could not settle the database before a round: " + e.getMessage());
        }
    }

    /**
     * Waits until no delivery is pending (every outcome so far written), for 30 s at most: a delivery still retrying
     * then is said, and the run goes on.
     */
    private static void awaitRecorded() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(Infrastructure.jdbcUrl(),
                Infrastructure.username(), Infrastructure.password());
                java.sql.Statement s = c.createStatement()) {
            while (true) {
                try (java.sql.ResultSet r = s.executeQuery("select count(*) from delivery where status = 'pending'")) {
                    r.next();
                    long pending = r.getLong(1);
                    if (pending == 0) {
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        System.out.println(pending + " deliveries still pending after 30 s; measuring anyway");
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    /** Due deliveries of the owner's one endpoint, written straight into the queue (one event), its owner told. */
    private static void backlog(String owner, int count) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(Infrastructure.jdbcUrl(),
                Infrastructure.username(), Infrastructure.password());
                java.sql.Statement s = c.createStatement()) {
            String event = "evt_backlog_" + Ids.random(8);
            s.execute("insert into event (id, type, owner, payload, occurred_at, received_at) values ('" + event
                    + "', 'repo.push', '" + owner + "', convert_to('{}', 'UTF8'), now(), now())");
            s.execute("insert into delivery (id, event_id, endpoint_id, owner, event_type, status, attempts, "
                    + "next_attempt_at, created_at) select '" + event.replace("evt_", "dlv_") + "_' || g, '" + event
                    + "', w.id, '" + owner
                    + "', 'repo.push', 'pending', 1, now(), now() from webhook_endpoint w, generate_series(1, "
                    + count + ") g where w.owner = '" + owner + "'");
            s.execute("analyze delivery");
            s.execute("select pg_notify('webhooks_due', bucket || ' ' || id) from webhook_endpoint where owner = '"
                    + owner + "'");
        }
    }

    static List<String> setUp(ServiceProcess service, String owner, int port, int count, String prefix) {
        return setUp(service, owner, port, count, prefix, Map.of());
    }

    /** {@code count} endpoints of {@code owner} at paths under {@code prefix}, created with {@code with}'s fields. */
    private static List<String> setUp(ServiceProcess service, String owner, int port, int count, String prefix,
            Map<String, Object> with) {
        String key = service.newKey(owner, List.of("webhooks:write"));
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String path = prefix + i;
            paths.add(path);
            Map<String, Object> body = new java.util.HashMap<>(with);
            body.put("url", "http://127.0.0.1:" + port + path);
            body.put("events", List.of("*"));
            service.as(key).body(body).post("/v2/webhooks").then().statusCode(201);
        }
        return paths;
    }

    /** Publishes {@code count} events, paced at {@code perSecond} (0: as fast as possible). */
    private void publish(String owner, int count, int perSecond) throws InterruptedException {
        publish(owner, count, perSecond, appended);
    }

    /** {@link #publish(String, int, int)}, noting each event's append time in {@code appended}. */
    static void publish(String owner, int count, int perSecond, Map<String, Long> appended)
            throws InterruptedException {
        Properties p = new Properties();
        p.put("bootstrap.servers", Infrastructure.bootstrapServers());
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("linger.ms", perSecond == 0 ? "5" : "0");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                if (perSecond > 0) {
                    long due = start + (long) i * 1_000_000_000L / perSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                String id = "evt_" + Ids.random(20);
                String key = owner + "-" + (i % 16);
                producer.send(new ProducerRecord<>(TOPIC, key.getBytes(StandardCharsets.UTF_8), event(id, owner)),
                        (meta, error) -> {
                            if (error == null) {
                                appended.put(id, meta.timestamp());
                            }
                        });
            }
            producer.flush();
        }
    }

    static boolean await(Receiver receiver, int deliveries, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (receiver.distinctDeliveries() < deliveries && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return receiver.distinctDeliveries() >= deliveries;
    }

    private List<Long> latencies(Receiver receiver, List<String> paths) {
        List<Long> values = new ArrayList<>();
        appended.forEach((id, at) -> paths.forEach(path -> {
            Long arrival = receiver.arrival(id, path);
            if (arrival != null) {
                values.add(arrival - at);
            }
        }));
        Collections.sort(values);
        return values;
    }

    private static String percentiles(List<Long> sorted) {
        if (sorted.isEmpty()) {
            return "n/a";
        }
        return "%d / %d / %d ms".formatted(at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99));
    }

    private static long at(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }

    private static byte[] event(String id, String owner) {
        return ("{\"event\":\"repo.push\",\"id\":\"" + id + "\",\"timestamp\":\"2025-01-20T14:35:22Z\",\"owner\":\""
                + owner + "\",\"repo\":\"" + owner + "/api\",\"shard\":" + (id.hashCode() & 15)
                + ",\"data\":{\"ref\":\"refs/heads/main\",\"before\":"
                + "\"6113728f27ae82c7b1a177c8d03f9e96e0adf246\",\"after\":\"59b20b8d5c6ff8d09518454d4dd8b7a30f095ab5\""
                + ",\"commits\":[{\"id\":\"59b20b8d\",\"message\":\"Fix the flaky test\",\"author\":\"octocat\"}]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void logAppendTime() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", Infrastructure.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry("message.timestamp.type", "LogAppendTime"), AlterConfigOp.OpType.SET))))
                    .all().get();
        }
    }

    private void line(String format, Object... args) {
        String text = args.length == 0 ? format : format.formatted(args);
        report.add(text);
        System.out.println(text);
    }

}
