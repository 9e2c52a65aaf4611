package dev.git.webhooks.ingest.consumer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;

import dev.git.webhooks.ingest.EventValidator;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The ingest loop, free of Quarkus so that it is tested with Kafka's {@code MockConsumer}: per polled batch it
 * validates each record, stores the valid ones ({@link BatchStore}), dead-letters the invalid ones
 * ({@link DeadLetterSink}) and only then commits the offsets. A record that validates and still cannot be stored is
 * found by splitting the batch and dead-lettered as {@code unstorable}; when the database or the dead-letter topic is
 * unavailable the loop rewinds to the batch and retries it with backoff. Nothing is skipped, nothing stalls on one
 * record.
 */
public final class IngestLoop {

    /** Waits between retries; the service's one returns early when it stops. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * What the loop reads and how it waits.
     *
     * @param linger after a poll that returned records, the loop polls again for up to this long, while more keep
     *        coming within half of it, and stores what came in one transaction (zero: each poll alone)
     * @param maxBatch the loop stops gathering once it holds this many records
     */
    public record Settings(List<String> topics, int maxEventBytes, Duration pollTimeout, Duration backoff,
            Duration maxBackoff, Duration logInterval, Duration linger, int maxBatch) {
    }

    /**
     * Every reason a record is dead-lettered for. Their counters exist at 0 from the start, so that an alert on
     * {@code increase()} sees the first dead letter after a restart (a series created by its first increment shows
     * no increase).
     */
    public static final List<String> REASONS = List.of(EventValidator.EMPTY, EventValidator.TOO_LARGE,
            EventValidator.INVALID_ENCODING, EventValidator.INVALID_JSON, EventValidator.MISSING_FIELD,
            EventValidator.INVALID_FIELD, EventValidator.UNKNOWN_EVENT_TYPE, EventValidator.TOPIC_MISMATCH,
            DeadLetter.UNSTORABLE, DeadLetter.ID_CONFLICT);

    private final Consumer<byte[], byte[]> consumer;
    private final DeadLetterSink deadLetters;
    private final Settings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final MeterRegistry metrics;
    private final EventValidator validator;
    private final IngestLog log;
    private final IngestProgress progress = new IngestProgress();
    private final Offsets offsets;
    private final IsolatingStore isolating;
    private Duration nextBackoff;
    private String stage = "poll";
    private final BatchHook hook;
    /** Partitions were assigned or taken since the gathering began (see {@link #gather}). */
    private boolean rebalanced;

    public IngestLoop(Consumer<byte[], byte[]> consumer, BatchStore store, DeadLetterSink deadLetters,
            Settings settings, Clock clock, Sleeper sleeper, IngestLog.Lines lines, MeterRegistry metrics) {
        this(consumer, store, deadLetters, settings, clock, sleeper, lines, metrics, BatchHook.NONE);
    }

    public IngestLoop(Consumer<byte[], byte[]> consumer, BatchStore store, DeadLetterSink deadLetters,
            Settings settings, Clock clock, Sleeper sleeper, IngestLog.Lines lines, MeterRegistry metrics,
            BatchHook hook) {
        this.hook = hook;
        this.consumer = consumer;
        this.offsets = new Offsets(consumer);
        this.isolating = new IsolatingStore(store);
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
        this.metrics = metrics;
        this.validator = new EventValidator(settings.maxEventBytes());
        this.log = new IngestLog(lines, settings.logInterval(), clock.instant());
        this.nextBackoff = settings.backoff();
        REASONS.forEach(reason -> metrics.counter("webhooks.events.dead_lettered", "reason", reason));
    }

    public IngestProgress progress() {
        return progress;
    }

    public void subscribe() {
        consumer.subscribe(settings.topics(), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                rebalanced = true;
                commitPending(partitions); // hand over what is stored before another instance takes them
                progress.released();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                rebalanced = true; // positions come from the committed offsets
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                rebalanced = true;
                offsets.forget(partitions);
                progress.released();
            }
        });
    }

    /** One poll and its batch. Throws only {@link WakeupException} / {@link InterruptException} (stopping). */
    public void pollOnce() {
        log.flushIfDue(clock.instant());
        ConsumerRecords<byte[], byte[]> records;
        stage = "poll";
        try {
            records = gather(consumer.poll(settings.pollTimeout()));
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            progress.pollFailed(clock.instant()); // no records come while it fails: held or not, it is stalled
            failed(e);
            return;
        }
        progress.polled();
        if (records.isEmpty()) {
            return;
        }
        progress.started(clock.instant());
        try {
            hook.handle(records, () -> handle(records));
            progress.finished();
            log.succeeded(clock.instant());
            nextBackoff = settings.backoff();
        } catch (WakeupException | InterruptException e) {
            offsets.rewind(records);
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            offsets.rewind(records);
            failed(e);
        }
    }

    /**
     * Events that arrive at a steady rate come a few at a time; each poll stored alone costs a transaction (and an
     * offset commit) for one or two events. So after a poll that returned records, the loop polls again, for up to
     * the linger in all, while each poll brings more within half of it, and stores them together. A lone event waits
     * half the linger at most; a steady stream, the linger. Nothing is lost: a poll that fails here ends the gathering,
     * and the records of the polls before it are stored; what came from a partition taken away meanwhile is left to
     * its new owner, which reads it again from the committed offset.
     */
    private ConsumerRecords<byte[], byte[]> gather(ConsumerRecords<byte[], byte[]> first) {
        long linger = settings.linger().toNanos();
        if (first.isEmpty() || linger <= 0 || first.count() >= settings.maxBatch()) {
            return first;
        }
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> merged = new LinkedHashMap<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>(first.nextOffsets());
        first.partitions().forEach(p -> merged.put(p, new ArrayList<>(first.records(p))));
        int count = first.count();
        long deadline = System.nanoTime() + linger;
        rebalanced = false;
        while (count < settings.maxBatch() && !rebalanced) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            ConsumerRecords<byte[], byte[]> more;
            try {
                more = consumer.poll(Duration.ofNanos(Math.min(left, linger / 2)));
            } catch (WakeupException | InterruptException e) {
                throw e;
            } catch (RuntimeException e) {
                break; // the next poll meets it again
            }
            more.partitions().forEach(p -> merged.computeIfAbsent(p, x -> new ArrayList<>()).addAll(more.records(p)));
            next.putAll(more.nextOffsets());
            count += more.count();
            if (more.isEmpty()) {
                break;
            }
        }
        if (rebalanced) { // what another instance reads now stays for it (it starts from the committed offsets)
            merged.keySet().retainAll(consumer.assignment());
            next.keySet().retainAll(consumer.assignment());
            merged.values().removeIf(List::isEmpty);
            return new ConsumerRecords<>(merged, next);
        }
        return count == first.count() ? first : new ConsumerRecords<>(merged, next);
    }

    /** Commits what is stored (synchronously) and closes the consumer. */
    public void close() {
        try {
            try {
                commitPending(consumer.assignment());
            } catch (WakeupException e) { // the stop's wakeup, come after the last poll: it is spent, so again
                commitPending(consumer.assignment());
            }
        } finally {
            progress.released();
            log.flush(clock.instant());
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecords<byte[], byte[]> records) throws Exception {
        List<IsolatingStore.Accepted> valid = new ArrayList<>();
        List<DeadLetter> letters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            EventValidator.Verdict verdict = validator.validate(record.topic(), record.value());
            if (verdict.valid()) {
                valid.add(new IsolatingStore.Accepted(record, RecordEvents.event(record, verdict.envelope())));
            } else {
                letters.add(new DeadLetter(record, verdict.rejection().reason(), verdict.rejection().message()));
            }
        }
        stage = "store";
        letters.addAll(isolating.store(EventOrder.merged(valid)));
        int truncated = 0;
        if (!letters.isEmpty()) {
            stage = "dlq";
            truncated = deadLetters.publish(letters);
        }
        stage = "commit";
        offsets.commit(records);
        hook.deadLettered(letters.size());
        log.deadLettered(letters, truncated);
        letters.forEach(l -> metrics.counter("webhooks.events.dead_lettered", "reason", l.reason()).increment());
    }

    private void commitPending(Collection<TopicPartition> partitions) {
        try {
            offsets.commitPending(partitions);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            log.failed("commit on hand-over (those records will be read again, as no-ops)", e,
                    clock.instant());
        }
    }

    private void failed(Exception e) {
        Instant now = clock.instant();
        log.failed(stage, e, now);
        progress.failed(stage + ": " + StoreFailures.describe(e));
        metrics.counter("webhooks.ingest.failures", "stage", stage).increment();
        try {
            sleeper.sleep(nextBackoff);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        Duration doubled = nextBackoff.multipliedBy(2);
        nextBackoff = doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
    }
}
