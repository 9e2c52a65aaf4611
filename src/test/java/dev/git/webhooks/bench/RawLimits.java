package dev.git.webhooks.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.git.webhooks.common.Ids;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** The machine's own limits, measured in the same run: the receiver, Kafka, and PostgreSQL doing the outbox work. */
final class RawLimits {

    private RawLimits() {
    }

    /** Requests a second that the receiver takes when sent to directly, with {@code concurrency} in flight. */
    static double receiver(Vertx vertx, int port, byte[] body, int concurrency, Duration duration)
            throws InterruptedException {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setMaxPoolSize(concurrency));
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        CountDownLatch finished = new CountDownLatch(concurrency);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI("/raw").putHeader("Content-Type", "application/json")
                .putHeader("X-Webhook-Delivery", "raw");
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            loop(client, options, Buffer.buffer(body), end, done, finished);
        }
        finished.await(duration.toSeconds() + 30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        client.close();
        return done.get() / seconds;
    }

    private static void loop(HttpClient client, RequestOptions options, Buffer body, long end, AtomicLong done,
            CountDownLatch finished) {
        if (System.nanoTime() >= end) {
            finished.countDown();
            return;
        }
        client.request(options).compose(r -> r.send(body)).compose(r -> r.body()).onComplete(ar -> {
            done.incrementAndGet();
            loop(client, options, body, end, done, finished);
        });
    }

    /** Records a second through Kafka: produced (acks=all) and consumed back. */
    static double[] kafka(String bootstrap, byte[] value, int count) {
        String topic = "bench.raw." + System.nanoTime();
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("acks", "all");
        p.put("linger.ms", "5");
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, ("k" + (i % 64)).getBytes(), value));
            }
            producer.flush();
        }
        double produced = count / ((System.nanoTime() - start) / 1e9);
        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrap);
        c.put("group.id", "bench-raw-" + System.nanoTime());
        c.put("auto.offset.reset", "earliest");
        c.put("key.deserializer", ByteArrayDeserializer.class.getName());
        c.put("value.deserializer", ByteArrayDeserializer.class.getName());
        c.put("max.poll.records", "500");
        int read = 0;
        start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(topic));
            while (read < count && System.nanoTime() - start < Duration.ofSeconds(60).toNanos()) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return new double[] {produced, read / ((System.nanoTime() - start) / 1e9)};
    }

    /**
     * Deliveries a second that PostgreSQL takes for the outbox row work alone, in scratch tables shaped like the real
     * ones (same columns, indexes and storage settings), with the statements the service uses (one {@code unnest}
     * statement per batch): per event one event row; per delivery one insert (claimed, out of the queue) and one
     * update to delivered with the attempt kept in the row; batches of 500 deliveries, committed like the service.
     */
    static double postgres(String url, String user, String password, int events, int endpoints, byte[] payload)
            throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            try (Statement s = c.createStatement()) {
                s.execute("drop table if exists bench_attempt, bench_delivery, bench_event");
                s.execute("create table bench_event (like event including all)");
                s.execute("create table bench_delivery (like delivery including all)");
                s.execute("alter table bench_delivery set (fillfactor = 45)");
            }
            c.setAutoCommit(false);
            String headers = "{\"content-length\":\"0\"}";
            byte[] signed = dev.git.webhooks.outbox.LastAttempt.signed(java.util.Map.of("webhook-timestamp",
                    "1767225600", "X-Signature-256",
                    "sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "webhook-signature",
                    "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=", "User-Agent", "git.dev-Webhooks/1.0.0"));
            long start = System.nanoTime();
            int perBatch = Math.max(1, 500 / endpoints);
            long millis = System.currentTimeMillis();
            for (int from = 0; from < events; from += perBatch) {
                int to = Math.min(events, from + perBatch);
                List<String> eventIds = new java.util.ArrayList<>();
                List<String> deliveryIds = new java.util.ArrayList<>();
                List<String> deliveryEvents = new java.util.ArrayList<>();
                List<String> endpointIds = new java.util.ArrayList<>();
                for (int e = from; e < to; e++) {
                    eventIds.add("evt_" + e + "_" + Ids.random(8));
                    for (int w = 0; w < endpoints; w++) {
                        deliveryIds.add(Ids.newTimeOrderedId("dlv", millis++));
                        deliveryEvents.add(eventIds.get(eventIds.size() - 1));
                        endpointIds.add("wh_" + w);
                    }
                }
                String now = Instant.now().toString();
                try (PreparedStatement event = c.prepareStatement("insert into bench_event (id, type, owner, payload, "
                        + "occurred_at, received_at) select u.id, 'repo.push', 'bench', u.payload, ?::timestamptz, "
                        + "?::timestamptz from unnest(?::text[], ?::bytea[]) as u(id, payload) on conflict (id) "
                        + "do nothing returning id");
                        PreparedStatement delivery = c.prepareStatement("insert into bench_delivery (id, event_id, "
                                + "endpoint_id, owner, event_type, status, attempts, next_attempt_at, created_at, "
                                + "claim) select u.id, u.event_id, u.endpoint_id, 'bench', 'repo.push', 'pending', 0, "
                                + "null, ?::timestamptz, 'i_bench.1' from unnest(?::text[], ?::text[], ?::text[]) "
                                + "as u(id, event_id, endpoint_id)")) {
                    event.setString(1, now);
                    event.setString(2, now);
                    event.setArray(3, c.createArrayOf("text", eventIds.toArray()));
                    event.setArray(4, c.createArrayOf("bytea", eventIds.stream().map(id -> payload)
                            .toArray(byte[][]::new)));
                    event.executeQuery().close();
                    delivery.setString(1, now);
                    delivery.setArray(2, c.createArrayOf("text", deliveryIds.toArray()));
                    delivery.setArray(3, c.createArrayOf("text", deliveryEvents.toArray()));
                    delivery.setArray(4, c.createArrayOf("text", endpointIds.toArray()));
                    delivery.executeUpdate();
                }
                c.commit();
                try (PreparedStatement update = c.prepareStatement("update bench_delivery d set status = "
                        + "'delivered', attempts = 1, next_attempt_at = null, last_attempt_at = ?::timestamptz, "
                        + "last_status = 204, completed_at = ?::timestamptz, last_duration_ms = 3, "
                        + "last_response_headers = ?::jsonb, last_response_body = '', last_request_signed = ? "
                        + "from unnest(?::text[]) as u(id) where d.id = u.id and d.claim = 'i_bench.1' "
                        + "and d.status = 'pending'")) {
                    update.setString(1, now);
                    update.setString(2, now);
                    update.setString(3, headers);
                    update.setBytes(4, signed);
                    update.setArray(5, c.createArrayOf("text", deliveryIds.toArray()));
                    update.executeUpdate();
                }
                c.commit();
            }
            double rate = (double) events * endpoints / ((System.nanoTime() - start) / 1e9);
            try (Statement s = c.createStatement()) {
                s.execute("drop table if exists bench_attempt, bench_delivery, bench_event");
            }
            c.commit();
            return rate;
        }
    }

    /** Dead tuples and sizes of the outbox's tables and queue index, right after a burst. */
    static String bloat(String url, String user, String password) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("""
                        select (select n_dead_tup from pg_stat_user_tables where relname = 'delivery'),
                               (select n_live_tup from pg_stat_user_tables where relname = 'delivery'),
                               pg_size_pretty(pg_relation_size('delivery')),
                               pg_size_pretty(pg_relation_size('delivery_queue')),
                               pg_size_pretty(pg_indexes_size('delivery'))""")) {
            r.next();
            return "delivery: %d dead / %d live rows, heap %s, queue index %s, all indexes %s".formatted(
                    r.getLong(1), r.getLong(2), r.getString(3), r.getString(4), r.getString(5));
        }
    }

    /**
     * Requests a second that the receiver takes from {@code wrk} (Debian's package), the load tool that saturates it
     * ({@code -t2 -c<connections>}, the same POST body): what a single Java client in this JVM measures can be several
     * times lower, since the client then competes with the receiver for the same event loops. Null when wrk is not
     * installed.
     */
    static Double receiverWrk(int port, byte[] body, int connections, Duration duration) throws Exception {
        java.nio.file.Path wrk = java.nio.file.Path.of("/usr/bin/wrk");
        if (!java.nio.file.Files.isExecutable(wrk)) {
            return null;
        }
        java.nio.file.Path script = java.nio.file.Files.createTempFile("bench-wrk-", ".lua");
        String quoted = new String(body, java.nio.charset.StandardCharsets.UTF_8).replace("\\", "\\\\")
                .replace("\"", "\\\"");
        java.nio.file.Files.writeString(script, "wrk.method = \"POST\"\nwrk.body = \"" + quoted + "\"\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "wrk.headers[\"X-Webhook-Delivery\"] = \"raw\"\n");
        Process process = new ProcessBuilder(wrk.toString(), "-t2", "-c" + connections, "-d" + duration.toSeconds()
                + "s", "-s", script.toString(), "http://127.0.0.1:" + port + "/raw").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        process.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        return m.find() ? Double.parseDouble(m.group(1)) : null;
    }

    /**
     * The PostgreSQL figure checked with a second tool, {@code pgbench} (PostgreSQL's own): the same row work per
     * transaction script (125 events and 500 deliveries inserted claimed, committed, then the 500 updated to
     * delivered with the attempt in the row, committed), two clients, for {@code seconds}. Deliveries a second, or
     * null when pgbench is not installed.
     */
    static Double postgresPgbench(String url, String user, String password, int seconds) throws Exception {
        java.nio.file.Path pgbench = java.nio.file.Path.of("/usr/bin/pgbench");
        if (!java.nio.file.Files.isExecutable(pgbench)) {
            return null;
        }
        java.util.regex.Matcher at = java.util.regex.Pattern.compile("//([^:/]+):(\\d+)/([^?]+)").matcher(url);
        if (!at.find()) {
            return null;
        }
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("drop table if exists bench2_delivery, bench2_event");
            s.execute("create table bench2_event (like event including all)");
            s.execute("create table bench2_delivery (like delivery including all)");
            s.execute("alter table bench2_delivery set (fillfactor = 45)");
        }
        java.nio.file.Path script = java.nio.file.Files.createTempFile("bench-pgbench-", ".sql");
        java.nio.file.Files.writeString(script, """
                \\set b random(1, 2000000000)
                begin;
                insert into bench2_event (id, type, owner, payload, occurred_at, received_at)
                  select 'e' || :client_id || '_' || :b || '_' || g, 'repo.push', 'bench',
                         convert_to(repeat('x', 420), 'UTF8'), now(), now() from generate_series(1, 125) g;
                insert into bench2_delivery (id, event_id, endpoint_id, owner, event_type, status, attempts, created_at,
                                             claim)
                  select 'd' || :client_id || '_' || :b || '_' || g || '_' || w, 'e' || :client_id || '_' || :b || '_' || g,
                         'wh_' || w, 'bench', 'repo.push', 'pending', 0, now(), 'i_bench.1'
                  from generate_series(1, 125) g, generate_series(0, 3) w;
                commit;
                begin;
                update bench2_delivery set status = 'delivered', attempts = 1, last_attempt_at = now(), last_status = 204,
                       completed_at = now(), last_duration_ms = 3, last_response_headers = '{"content-length":"0"}',
                       last_response_body = '', last_request_signed = '\\x000102030405060708090a0b0c0d0e0f'::bytea
                  where id = any (array(select 'd' || :client_id || '_' || :b || '_' || g || '_' || w
                                        from generate_series(1, 125) g, generate_series(0, 3) w))
                    and claim = 'i_bench.1' and status = 'pending';
                commit;
                """);
        ProcessBuilder builder = new ProcessBuilder(pgbench.toString(), "-n", "-c", "2", "-j", "2", "-T",
                String.valueOf(seconds), "-f", script.toString(), "-h", at.group(1), "-p", at.group(2), "-U", user,
                at.group(3)).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", password == null ? "" : password);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        process.waitFor(seconds + 60L, TimeUnit.SECONDS);
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("drop table if exists bench2_delivery, bench2_event");
        }
        java.util.regex.Matcher tps = java.util.regex.Pattern.compile("tps = ([0-9.]+)").matcher(out);
        return tps.find() ? Double.parseDouble(tps.group(1)) * 500 : null;
    }
}
