package dev.git.webhooks.delivery.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import dev.git.webhooks.common.LogThrottle;
import dev.git.webhooks.delivery.DeliveryListener;
import dev.git.webhooks.outbox.AttemptLog;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.OutboxException;
import dev.git.webhooks.outbox.OutboxStore;
import dev.git.webhooks.outbox.Outcome;
import dev.git.webhooks.subscription.EndpointBreakers;
import dev.git.webhooks.tracing.SpanLogs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanContext;

/**
 * Carries out the engine's writes, one at a time on the engine's writer thread: hand-backs, then outcomes (fenced by
 * their claims), then breaker changes, and tells the listeners what was committed. A write that fails because the
 * database is away or busy comes back as {@link Command.WriteFailed} and is tried again as it is; outcomes PostgreSQL
 * refuses for their data are halved until the bad one is alone, which is recorded without the endpoint's answer, or,
 * failing that too, logged, counted and stranded (it keeps one lease, then is sent again). A line about one outcome
 * carries the trace and span ids of its attempt.
 */
final class Writer {

    private static final Logger LOG = Logger.getLogger(Writer.class);

    private final AttemptLog log;
    private final OutboxStore outbox;
    private final EndpointBreakers breakers;
    private final List<DeliveryListener> listeners;
    private final Clock clock;
    private final Counter unrecordable;
    private final LogThrottle failures = new LogThrottle(LOG, Duration.ofSeconds(30));
    /** The span of each attempt whose outcome is not written yet (its lines carry the span's ids). */
    private final Map<String, SpanContext> spans = new ConcurrentHashMap<>();

    Writer(AttemptLog log, OutboxStore outbox, EndpointBreakers breakers, List<DeliveryListener> listeners, Clock clock,
            MeterRegistry metrics) {
        this.log = log;
        this.outbox = outbox;
        this.breakers = breakers;
        this.listeners = listeners;
        this.clock = clock;
        this.unrecordable = Counter.builder("webhooks.recording.failures")
                .description("Outcomes that could not be recorded at all (their deliveries are sent again)")
                .register(metrics);
    }

    /** The attempt of {@code deliveryId} ran in {@code span} (invalid when tracing is off). */
    void traced(String deliveryId, SpanContext span) {
        if (span.isValid()) {
            spans.put(deliveryId, span);
        }
    }

    /** Makes the write; answers the command that reports it. Never throws. */
    Command write(Effects.Write write) {
        try {
            outbox.release(write.releases(), write.owners());
            List<Outcome> applied = new ArrayList<>();
            List<DeliveryJob> stranded = new ArrayList<>();
            if (!write.outcomes().isEmpty()) {
                recordIsolating(write.outcomes(), applied, stranded);
            }
            writeBreakers(write.breakers());
            write.outcomes().forEach(o -> spans.remove(o.job().deliveryId()));
            failures.recovered("Recording delivery results works again");
            return new Command.Written(write, applied, stranded);
        } catch (RuntimeException e) {
            failures.warn("Could not record " + write.outcomes().size() + " delivery results ("
                    + OutboxException.rootMessage(e) + "); trying again");
            return new Command.WriteFailed(write);
        }
    }

    /**
     * What the breakers are now, for another owner and the ops views. Not worth holding back the outcomes for: should
     * it fail, the next change of the breaker writes it again.
     */
    private void writeBreakers(List<Effects.Breaker> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            breakers.record(changes.stream()
                    .map(b -> new EndpointBreakers.State(b.endpointId(), b.openUntil(), b.delayMillis())).toList());
        } catch (RuntimeException e) {
            LOG.debugf("Could not write %d breaker changes: %s", changes.size(), OutboxException.rootMessage(e));
        }
    }

    /** Records the batch; on a data error, halves it until the bad outcome is alone. */
    private void recordIsolating(List<Outcome> batch, List<Outcome> applied, List<DeliveryJob> stranded) {
        try {
            notify(log.record(batch, clock.instant()), applied);
        } catch (RuntimeException e) {
            if (OutboxException.isTransient(e)) {
                throw e;
            }
            if (batch.size() > 1) {
                recordIsolating(batch.subList(0, batch.size() / 2), applied, stranded);
                recordIsolating(batch.subList(batch.size() / 2, batch.size()), applied, stranded);
                return;
            }
            recordScrubbed(batch.get(0), e, applied, stranded);
        }
    }

    private void recordScrubbed(Outcome outcome, RuntimeException cause, List<Outcome> applied,
            List<DeliveryJob> stranded) {
        SpanContext span = spans.getOrDefault(outcome.job().deliveryId(), SpanContext.getInvalid());
        try {
            notify(log.record(List.of(outcome.scrubbed()), clock.instant()), applied);
            SpanLogs.log(span, () -> LOG.warnf(
                    "Recorded the attempt of %s without the endpoint's answer, which could not be stored (%s)",
                    outcome.job().deliveryId(), OutboxException.rootMessage(cause)));
        } catch (RuntimeException e) {
            if (OutboxException.isTransient(e)) {
                throw e;
            }
            unrecordable.increment();
            stranded.add(outcome.job());
            SpanLogs.log(span, () -> LOG.errorf(e,
                    "Could not record the attempt of %s; the delivery will be sent again when its claim ends",
                    outcome.job().deliveryId()));
        }
    }

    private void notify(List<Outcome> recorded, List<Outcome> applied) {
        applied.addAll(recorded);
        for (DeliveryListener listener : listeners) {
            try {
                listener.recorded(recorded);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Delivery listener %s failed", listener.getClass().getSimpleName());
            }
        }
    }
}
