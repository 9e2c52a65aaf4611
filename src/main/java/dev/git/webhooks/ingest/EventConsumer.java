package dev.git.webhooks.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import dev.git.webhooks.catalog.SchemaDrift;
import dev.git.webhooks.delivery.engine.DeliveryEngine;
import dev.git.webhooks.ingest.consumer.ConsumerSettings;
import dev.git.webhooks.ingest.consumer.LoggerLines;
import dev.git.webhooks.ingest.consumer.IngestLoop;
import dev.git.webhooks.ingest.consumer.IngestProgress;
import dev.git.webhooks.ingest.consumer.KafkaDeadLetters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Runs the ingest loop ({@link IngestLoop}) on its own thread with a real Kafka consumer (group {@code webhooks}),
 * the dead-letter producer, and the store: events and their deliveries in one transaction, whose commit hands the
 * deliveries this instance sends to its delivery engine.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** The records lag gauge is read this often (nanoseconds). */
    private static final long LAG_EVERY = Duration.ofSeconds(1).toNanos();
    private static final Duration ROOM_WAIT = Duration.ofSeconds(1);

    private final IngestConfig config;
    private final EventStore store;
    private final DeliveryEngine engine;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final Map<String, Object> kafka;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final BatchSpans spans;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaDeadLetters deadLetters;
    private IngestLoop loop;
    private Thread thread;
    private volatile boolean running;
    private Timer batchTimer;
    @Inject
    SchemaDrift schemaDrift;

    @Inject
    public EventConsumer(IngestConfig config, EventStore store, DeliveryEngine engine, MeterRegistry metrics,
            Clock clock, @Identifier("default-kafka-broker") Map<String, Object> kafka, BatchSpans spans) {
        this.config = config;
        this.store = store;
        this.engine = engine;
        this.metrics = metrics;
        this.clock = clock;
        this.kafka = kafka;
        this.spans = spans;
    }

    /** After the {@code @Startup} beans, so that a missing setting is refused by name (RequiredSettings) first. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Ingest is switched off (webhooks.ingest.enabled=false)");
            return;
        }
        consumer = new KafkaConsumer<>(ConsumerSettings.of(config, kafka));
        deadLetters = KafkaDeadLetters.create(kafka, config.dlqTopic(), config.dlqTruncatedBytes(), clock);
        loop = new IngestLoop(consumer, this::store, deadLetters,
                new IngestLoop.Settings(config.topics(), config.maxEventBytes(), POLL, config.failureBackoff(),
                        config.maxFailureBackoff(), config.logInterval(), config.linger(), config.maxPollRecords()),
                clock, d -> stopping.await(d.toMillis(), TimeUnit.MILLISECONDS), new LoggerLines(LOG), metrics, spans);
        Gauge.builder("webhooks.ingest.stalled", loop.progress(), p -> p.stalledFor(clock.instant()).toMillis() / 1e3)
                .description("How long the consumer has held a record without moving past it (0: moving)")
                .baseUnit("seconds").register(metrics);
        Gauge.builder("webhooks.ingest.records.lag.max", loop.progress(), IngestProgress::recordsLag)
                .description("The consumer's largest record lag over its partitions (Kafka's records-lag-max)")
                .register(metrics);
        batchTimer = Timer.builder("webhooks.ingest.batch") // found once, not looked up again for every batch
                .description("Storing one polled batch: events, fan-out and commit")
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(metrics);
        running = true;
        thread = new Thread(this::run, "ingest-consumer");
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (thread == null) {
            return;
        }
        running = false;
        stopping.countDown();
        consumer.wakeup();
        thread.join(15_000);
    }

    /** Null when ingest is switched off. */
    public IngestProgress progress() {
        return loop == null ? null : loop.progress();
    }

    /** The loop thread runs (false after a crash of the loop itself, which the ingest health group reports). */
    public boolean alive() {
        return thread != null && thread.isAlive();
    }

    public boolean enabled() {
        return config.enabled();
    }

    private void run() {
        try {
            loop.subscribe();
            long lagReadAt = System.nanoTime() - LAG_EVERY;
            while (running) {
                awaitRoom();
                loop.pollOnce();
                if (System.nanoTime() - lagReadAt >= LAG_EVERY) { // walks every metric of the consumer
                    lagReadAt = System.nanoTime();
                    loop.progress().recordsLag(recordsLag());
                }
            }
        } catch (WakeupException | InterruptException e) {
            // shutting down
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("The ingest loop stopped; the ingest health group reports it", e);
            throw e;
        } finally {
            try {
                loop.close();
            } finally {
                deadLetters.close();
            }
        }
    }

    /** One store of the loop: events and deliveries in one transaction, whose commit hands them to delivery. */
    private Set<String> store(List<IncomingEvent> events) {
        Timer.Sample sample = Timer.start(metrics);
        EventStore.Stored stored = store.store(events);
        sample.stop(batchTimer);
        if (stored.duplicates() > 0) { // perhaps stored by an attempt whose commit seemed to fail
            engine.releaseUnheld(events.stream().filter(e -> !stored.newEventIds().contains(e.id())
                    && !stored.conflicts().contains(e.source())).map(IncomingEvent::id).distinct().toList());
        }
        IngestMetrics.count(metrics, clock, events, stored);
        spans.stored(stored.newEventIds().size(), stored.duplicates());
        try {
            events.stream().filter(e -> stored.newEventIds().contains(e.id())) // drift is counted, never refused
                    .forEach(e -> {
                        if (e.json() != null) {
                            schemaDrift.check(e.type(), e.json());
                        } else {
                            schemaDrift.check(e.type(), e.payload());
                        }
                    });
        } catch (RuntimeException e) {
            LOG.debug("Could not check the schema drift", e);
        }
        return stored.conflicts();
    }

    /**
     * Back-pressure: while this instance holds as many deliveries as it may, the next records wait in Kafka (which
     * keeps them for free) rather than in the outbox's queue. Bounded, so that the consumer keeps polling.
     */
    private void awaitRoom() throws InterruptedException {
        long deadline = System.nanoTime() + ROOM_WAIT.toNanos();
        while (!engine.hasRoom() && System.nanoTime() < deadline && running) {
            stopping.await(2, TimeUnit.MILLISECONDS);
        }
    }

    private double recordsLag() {
        for (Map.Entry<org.apache.kafka.common.MetricName, ? extends Metric> m : consumer.metrics().entrySet()) {
            if ("records-lag-max".equals(m.getKey().name()) && m.getKey().tags().size() == 1
                    && m.getValue().metricValue() instanceof Double lag) {
                return lag;
            }
        }
        return Double.NaN;
    }
}
