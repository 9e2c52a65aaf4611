package dev.git.webhooks.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.git.webhooks.common.Ids;

/**
 * The load of a fault test: one owner with endpoints at fresh WireMock paths, events published to a topic and
 * consumer group of the test's own (so that other tests' records and offsets never mix in), and what the
 * endpoints received.
 */
public final class Load implements AutoCloseable {

    /** The topic's partitions; the owner is the key of every record, so one partition holds all its events. */
    private static final int PARTITIONS = 4;

    private final String owner = "fault-" + Ids.random(8);
    private final String topic = "ft" + Ids.random(6) + ".repo.push";
    private final String group = "ft-" + Ids.random(8);
    private final List<String> paths = new ArrayList<>();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    /** Every event sent, in the order sent (one partition: the order the service reads them in; see outOfOrder). */
    private final List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    /** With keys above 0, the i-th event sent carries {@code "data": {"n": i % keys}}. */
    private volatile int keys;
    private final Map<String, Integer> keyOf = new ConcurrentHashMap<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private final String bootstrap;

    private Load(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(props);
    }

    /** Creates the topic (4 partitions) on the broker at {@code bootstrap}. */
    public static Load on(String bootstrap) throws Exception {
        Load load = new Load(bootstrap);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(load.topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return load;
    }

    /** The service's environment for this load: its topic and its consumer group. */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(ServiceProcess.environment());
        env.put("WEBHOOKS_INGEST_TOPICS", topic);
        env.put("WEBHOOKS_INGEST_GROUP_ID", group);
        return env;
    }

    public String owner() {
        return owner;
    }

    /**
     * The partitions of the load's topic that the consumer whose {@code client.id} is {@code clientId} holds now
     * (an instance's Kafka clients take it from {@code KAFKA_CLIENT_ID}).
     */
    public int partitionsHeldBy(String clientId) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group).members()
                    .stream().filter(m -> clientId.equals(m.clientId()))
                    .mapToInt(m -> m.assignment().topicPartitions().size()).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The {@code client.id} of the consumer that holds the partition of the owner's events now (the instance that
     * ingests them), or null while no consumer holds it.
     */
    public String ingestingClient() {
        int partition = Utils.toPositive(Utils.murmur2(owner.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group).members()
                    .stream().filter(m -> m.assignment().topicPartitions().stream()
                            .anyMatch(tp -> tp.topic().equals(topic) && tp.partition() == partition))
                    .map(m -> m.clientId()).findFirst().orElse(null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Endpoints of the owner, created through the API of {@code service}, each answering {@code answer}. */
    public void endpoints(ServiceProcess service, int count, ResponseDefinitionBuilder answer) {
        String key = service.newKey(owner, List.of("webhooks:write", "deliveries:read"));
        for (int i = 0; i < count; i++) {
            String path = Receivers.newPath();
            Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(answer));
            service.as(key).body(Map.of("url", Receivers.url(path), "events", List.of("*")))
                    .post("/v2/webhooks").then().statusCode(201);
            paths.add(path);
        }
    }

    /**
     * Endpoints of the owner at these URLs (a receiver other than WireMock), created through the API of
     * {@code service}; answers their ids.
     */
    public List<String> endpointsAt(ServiceProcess service, List<String> urls) {
        return endpointsAt(service, urls, Map.of());
    }

    /** {@link #endpointsAt(ServiceProcess, List)}, each created with the fields of {@code with} too. */
    public List<String> endpointsAt(ServiceProcess service, List<String> urls, Map<String, Object> with) {
        String key = service.newKey(owner, List.of("webhooks:write", "deliveries:read"));
        List<String> ids = new ArrayList<>();
        for (String url : urls) {
            Map<String, Object> body = new java.util.HashMap<>(with);
            body.put("url", url);
            body.put("events", List.of("*"));
            ids.add(Json.at(service.as(key).body(body).post("/v2/webhooks").then().statusCode(201).extract(), "id"));
        }
        return ids;
    }

    /** Every endpoint answers {@code answer} from now on. */
    public void answer(ResponseDefinitionBuilder answer) {
        paths.forEach(path -> Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(answer)));
    }

    /** When each event was handed to the producer (System.nanoTime), for latencies measured in this JVM. */
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();

    public Long sentAt(String eventId) {
        return sentAt.get(eventId);
    }

    /**
     * Publishes {@code count} events without waiting; the ones the broker acknowledges count as sent. Answers their
     * ids.
     */
    public List<String> publish(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "evt_ft_" + Ids.random(12);
            sentAt.put(id, System.nanoTime());
            int n;
            synchronized (sent) {
                n = keys > 0 ? sent.size() % keys : 1;
                sent.add(id);
            }
            if (keys > 0) {
                keyOf.put(id, n);
            }
            String value = Kafka.event("repo.push", id, owner, keys > 0 ? owner + "/repo-" + n : null, n);
            producer.send(new ProducerRecord<>(topic, owner.getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8)), (metadata, error) -> {
                        if (error == null) {
                            acked.add(id);
                        }
                    });
            ids.add(id);
        }
        return ids;
    }

    /**
     * From now on the events sent carry {@code "data": {"n": i % keys}} and the repository {@code <owner>/repo-<n>}
     * (i counting the events sent): an endpoint ordered by the key {@code /data/n}, or by {@code repo}, sees
     * {@code keys} keys, each a sequence of the events in the order sent.
     */
    public Load keyed(int keys) {
        this.keys = keys;
        return this;
    }

    /**
     * The keys ({@link #keyed}) whose events, in {@code arrived}'s order (an ordered endpoint's first receipts), are
     * not in the order they were sent, each with its first difference. Only the events sent keyed count (an
     * endpoint made for them never saw the ones before), and of those only the ones the broker acknowledged.
     */
    public List<String> outOfOrder(List<String> arrived) {
        Map<Integer, List<String>> sentByKey = new java.util.TreeMap<>();
        List<String> inOrder;
        synchronized (sent) {
            inOrder = List.copyOf(sent);
        }
        inOrder.stream().filter(id -> acked.contains(id) && keyOf.containsKey(id))
                .forEach(id -> sentByKey.computeIfAbsent(keyOf.get(id), k -> new ArrayList<>()).add(id));
        Map<Integer, List<String>> arrivedByKey = new HashMap<>();
        arrived.stream().filter(id -> acked.contains(id) && keyOf.containsKey(id))
                .forEach(id -> arrivedByKey.computeIfAbsent(keyOf.get(id), k -> new ArrayList<>()).add(id));
        List<String> wrong = new ArrayList<>();
        sentByKey.forEach((key, ids) -> {
            List<String> got = arrivedByKey.getOrDefault(key, List.of());
            for (int i = 0; i < ids.size(); i++) {
                if (i >= got.size() || !ids.get(i).equals(got.get(i))) {
                    wrong.add("key " + key + ": #" + i + " sent " + ids.get(i) + ", arrived "
                            + (i < got.size() ? got.get(i) : "nothing"));
                    return;
                }
            }
        });
        return wrong;
    }

    /** Publishes at about {@code perSecond} until {@code count} events were sent (blocking); answers their ids. */
    public List<String> publishPaced(int count, int perSecond) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            ids.addAll(publish(1));
            long due = start + TimeUnit.SECONDS.toNanos(i + 1) / perSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        return ids;
    }

    /** {@link #publishPaced} on another thread: the test meanwhile breaks something. */
    public java.util.concurrent.CompletableFuture<Void> publishInBackground(int count, int perSecond) {
        return java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                publishPaced(count, perSecond);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    public void flush() {
        producer.flush();
    }

    public Set<String> acked() {
        return Set.copyOf(acked);
    }

    /** Every event acknowledged by the broker so far, times every endpoint. */
    public int expected() {
        return acked.size() * paths.size();
    }

    /** The 2xx answers the endpoints gave so far. */
    public List<ServeEvent> accepted() {
        return Receivers.server().getAllServeEvents().stream()
                .filter(e -> paths.contains(e.getRequest().getUrl()) && e.getResponse().getStatus() / 100 == 2)
                .toList();
    }

    /** (endpoint, event) pairs that were accepted at least once. */
    public Set<String> acceptedPairs() {
        return accepted().stream().map(e -> e.getRequest().getUrl() + " " + e.getRequest().getHeader("webhook-id"))
                .collect(Collectors.toSet());
    }

    /** Events acknowledged by the broker that some endpoint never accepted. */
    public List<String> missing() {
        Set<String> pairs = acceptedPairs();
        List<String> missing = new ArrayList<>();
        for (String id : acked) {
            for (String path : paths) {
                if (!pairs.contains(path + " " + id)) {
                    missing.add(path + " " + id);
                }
            }
        }
        return missing;
    }

    /** How many accepted requests repeated an (endpoint, event) pair accepted before. */
    public int duplicates() {
        return accepted().size() - acceptedPairs().size();
    }

    /** Delivery ids accepted more than once. */
    public Set<String> duplicatedDeliveries() {
        return counts(accepted()).entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /** Delivery ids accepted so far. */
    public Set<String> acceptedDeliveries() {
        return counts(accepted()).keySet();
    }

    /** When the last of these deliveries was first accepted, or null if one never was. */
    public Instant firstAcceptedAll(Collection<String> deliveryIds) {
        Map<String, Instant> first = new HashMap<>();
        for (ServeEvent e : accepted()) {
            first.merge(e.getRequest().getHeader("X-Webhook-Delivery"), e.getRequest().getLoggedDate().toInstant(),
                    (a, b) -> a.isBefore(b) ? a : b);
        }
        Instant last = Instant.MIN;
        for (String id : deliveryIds) {
            Instant at = first.get(id);
            if (at == null) {
                return null;
            }
            last = at.isAfter(last) ? at : last;
        }
        return last;
    }

    private static Map<String, Long> counts(List<ServeEvent> events) {
        return events.stream().collect(Collectors.groupingBy(e -> e.getRequest().getHeader("X-Webhook-Delivery"),
                Collectors.counting()));
    }

    public static Duration since(Instant start) {
        return Duration.between(start, Instant.now());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
