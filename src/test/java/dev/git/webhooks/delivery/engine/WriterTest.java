package dev.git.webhooks.delivery.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.MDC;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.delivery.DeliveryListener;
import dev.git.webhooks.outbox.AttemptLog;
import dev.git.webhooks.outbox.AttemptResult;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.DeliveryStatus;
import dev.git.webhooks.outbox.OutboxException;
import dev.git.webhooks.outbox.OutboxStore;
import dev.git.webhooks.outbox.Outcome;
import dev.git.webhooks.subscription.EndpointBreakers;
import dev.git.webhooks.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;

/** The engine's writer against a fake attempt log: isolation of a bad outcome, a database that is away. */
class WriterTest {

    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeLog log = new FakeLog();
    private final List<Outcome> notified = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Writer writer = new Writer(log, new OutboxStore(null, null, null) {
        @Override
        public void release(List<Release> releases, Collection<String> owners) {
            // nothing to release in these tests
        }
    }, new EndpointBreakers(null), List.of(new DeliveryListener() {
        @Override
        public void recorded(List<Outcome> outcomes) {
            notified.addAll(outcomes);
        }
    }), clock, metrics);

    @Test
    void aBadOutcomeIsIsolatedAndRecordedWithoutTheAnswer() {
        List<Outcome> batch = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            batch.add(outcome("dlv_" + i, i == 6 ? "bad\u0000body" : "ok"));
        }
        Command.Written written = assertInstanceOf(Command.Written.class, writer.write(write(batch)));
        assertEquals(9, written.applied().size(), "every outcome recorded, none lost");
        assertEquals(9, notified.size(), "and the listeners told");
        Outcome bad = log.stored.stream().filter(o -> o.job().deliveryId().equals("dlv_6")).findFirst().orElseThrow();
        assertEquals("(the answer could not be stored)", bad.result().responseBody());
        assertTrue(log.calls.get() > 2, "the batch was split to find it");
        assertEquals(0.0, metrics.counter("webhooks.recording.failures").count());
    }

    @Test
    void itsFailureCounterExistsAtZeroFromTheStart() {
        // found, not created by the look-up: an alert's increase() sees the first failure after a restart
        assertNotNull(metrics.find("webhooks.recording.failures").counter(), "registered with the writer");
        assertEquals(0.0, metrics.find("webhooks.recording.failures").counter().count());
    }

    @Test
    void aWriteIsReportedFailedWhileTheDatabaseIsAwayAndMadeWhenItIsBack() {
        log.down.set(true);
        Effects.Write write = write(List.of(outcome("dlv_1", "ok"), outcome("dlv_2", "ok")));
        Command failed = writer.write(write);
        assertEquals(new Command.WriteFailed(write), failed, "kept by the engine, to be tried again as it is");
        assertTrue(log.stored.isEmpty());
        log.down.set(false);
        Command.Written written = assertInstanceOf(Command.Written.class, writer.write(write));
        assertEquals(2, written.applied().size());
        assertEquals(2, notified.size());
    }

    @Test
    void anOutcomeThatCannotBeStoredAtAllIsCountedAndStrandedNotDroppedSilently() {
        log.rejectAll.set(true);
        Outcome outcome = outcome("dlv_1", "ok");
        Command.Written written = assertInstanceOf(Command.Written.class, writer.write(write(List.of(outcome))));
        assertEquals(List.of(outcome.job()), written.stranded(), "it keeps one lease, then is sent again");
        assertEquals(1.0, metrics.counter("webhooks.recording.failures").count());
        assertTrue(notified.isEmpty());
    }

    @Test
    void itsLinesAboutAnOutcomeCarryTheTraceAndSpanIdsOfItsAttempt() {
        SpanContext scrubbed = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        SpanContext unrecordable = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault());
        // what the console format's %X{traceId} and %X{spanId} print: the MDC of the thread that logs
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(MDC.get("traceId") + "/" + MDC.get("spanId") + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(Writer.class.getName());
        logger.addHandler(handler);
        try {
            writer.traced("dlv_1", scrubbed);
            writer.write(write(List.of(outcome("dlv_1", "bad\u0000body"))));
            log.rejectAll.set(true);
            writer.traced("dlv_2", unrecordable);
            writer.write(write(List.of(outcome("dlv_2", "ok"))));
            // a line about no single attempt, on the same thread: the ids were not left behind
            log.rejectAll.set(false);
            log.down.set(true);
            writer.write(write(List.of(outcome("dlv_3", "ok"))));
            log.down.set(false);
        } finally {
            logger.removeHandler(handler);
        }
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith(scrubbed.getTraceId() + "/" + scrubbed.getSpanId() + " Recorded the attempt"),
                lines.get(0));
        assertTrue(lines.get(1).startsWith(unrecordable.getTraceId() + "/" + unrecordable.getSpanId()
                + " Could not record the attempt"), lines.get(1));
        assertTrue(lines.get(2).startsWith("null/null Could not record 1"), lines.get(2));
    }

    private static Effects.Write write(List<Outcome> outcomes) {
        return new Effects.Write(outcomes, List.of(), List.of(), Set.of());
    }

    private Outcome outcome(String id, String body) {
        DeliveryJob job = new DeliveryJob(id, "evt_1", "repo.push", new byte[0], 1, "i_1.1", clock.instant(), null,
                new DeliveryJob.Target("wh_1", 1, "https://example.com", new byte[0], "k", null, null, null),
                "org-1", DeliveryJob.Trace.NONE);
        return new Outcome(job, new AttemptResult(clock.instant(), 3, Map.of(), 200, Map.of(), body, null, null),
                DeliveryStatus.DELIVERED, null, false);
    }

    /** Refuses a batch holding a NUL (a data error), or everything while "down" (a connection error). */
    static final class FakeLog extends AttemptLog {
        final List<Outcome> stored = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger calls = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicBoolean rejectAll = new java.util.concurrent.atomic.AtomicBoolean();

        FakeLog() {
            super(null, null, null);
        }

        @Override
        public List<Outcome> record(List<Outcome> batch, Instant now) {
            calls.incrementAndGet();
            if (down.get()) {
                throw new OutboxException("down", new SQLException("connection refused", "08001"));
            }
            if (rejectAll.get() || batch.stream().anyMatch(o -> o.result().responseBody() != null
                    && o.result().responseBody().contains("\u0000"))) {
                throw new OutboxException("bad", new SQLException("invalid byte sequence", "22021"));
            }
            stored.addAll(batch);
            return batch;
        }
    }
}
