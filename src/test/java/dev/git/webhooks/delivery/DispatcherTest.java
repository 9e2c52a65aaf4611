package dev.git.webhooks.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.outbox.AttemptResult;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.DeliveryStatus;
import dev.git.webhooks.outbox.Instance;
import dev.git.webhooks.outbox.OutboxConfig;
import dev.git.webhooks.outbox.OutboxStore;
import dev.git.webhooks.outbox.Outcome;
import dev.git.webhooks.outbox.Reaper;
import dev.git.webhooks.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The dispatcher and the claim keeper with a fake clock, a fake sender and a fake outbox: lanes, breaker holds,
 * back-pressure from the recorder, lease renewal and fencing.
 */
class DispatcherTest {

    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final TestDeliveryConfig config = new TestDeliveryConfig();
    private final FakeOutbox outbox = new FakeOutbox();
    private final RecorderTest.FakeLog log = new RecorderTest.FakeLog();
    private final List<DeliveryJob> sent = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Outcome>> pending = new CopyOnWriteArrayList<>();
    private Recorder recorder;
    private Dispatcher dispatcher;
    private boolean heartbeatAccepted = true;
    private Instant oldestFreshSeen;
    private final List<Sweep> sweeps = new ArrayList<>();

    private record Sweep(Instant from, Instant to, List<String> held) {
    }

    @AfterEach
    void stop() {
        recorder.stop();
    }

    @Test
    void aLaneSendsNoMoreThanItsCapAndTheRestFollowsAsSlotsFree() {
        start(job -> hang(job));
        dispatcher.offer(jobs("wh_a", 5, false));
        assertEquals(2, sent.size(), "cap of 2");
        answer(pending.get(0), 200);
        assertEquals(3, sent.size());
        assertEquals(0, outbox.released.size(), "everything fitted in the lane");
    }

    @Test
    void whatDoesNotFitGoesBackToTheQueue() {
        start(job -> hang(job));
        int taken = dispatcher.offer(jobs("wh_a", 8, false));
        assertEquals(5, taken, "cap 2 + depth 3");
        await().atMost(Duration.ofSeconds(5)).until(() -> outbox.released.size() == 3); // the recorder's thread
        assertTrue(outbox.released.stream().allMatch(r -> !r.at().isAfter(clock.instant())), "due now");
    }

    @Test
    void anOpenBreakerHandsTheQueueBackWithoutSpendingAttempts() {
        start(job -> done(job, 500));
        config.depth = 20;
        dispatcher.offer(jobs("wh_a", 12, false));
        assertEquals(4, sent.size(), "the breaker opened after its window of 4 failures");
        Instant openUntil = clock.instant().plus(config.breakerDelay);
        await().atMost(Duration.ofSeconds(5)).until(() -> outbox.released.size() == 8);
        assertTrue(outbox.released.stream().allMatch(r -> r.at().equals(openUntil)),
                "due when the breaker may let a trial through");
        assertEquals(clock.instant().plus(config.breakerDelay), dispatcher.holds().get("wh_a"));
    }

    @Test
    void noAttemptStartsWhileTheRecorderIsBehind() {
        start(job -> done(job, 200));
        config.cap = 50;
        config.depth = 50;
        log.pause.set(true);
        dispatcher.offer(jobs("wh_a", 30, false));
        assertEquals(config.recordingBacklog, sent.size(), "stopped at the recording backlog");
        log.pause.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.saturated());
        dispatcher.pumpAll();
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 30);
    }

    @Test
    void leasesOfHeldDeliveriesAreRenewedAndALostClaimIsDroppedUnsent() {
        start(job -> hang(job));
        List<DeliveryJob> leased = jobs("wh_a", 5, true);
        dispatcher.offer(leased);
        outbox.lose = Set.of(leased.get(4).deliveryId());
        keeper().keep();
        assertEquals(5, outbox.renewed.size(), "every held delivery with a lease, running or queued");
        answer(pending.get(0), 200);
        answer(pending.get(1), 200);
        answer(pending.get(2), 200);
        assertEquals(4, sent.size());
        assertFalse(sent.contains(leased.get(4)), "the claim passed to another instance: not sent here");
    }

    @Test
    void freshDeliveriesGetALeaseOnlyOnceTheyWaitedHalfTheFreshHorizon() {
        start(job -> hang(job));
        List<DeliveryJob> fresh = jobs("wh_a", 3, false);
        dispatcher.offer(fresh);
        keeper().keep();
        assertEquals(0, outbox.renewed.size(), "fresh and young: nothing to write");
        assertEquals(fresh.get(0).createdAt(), oldestFreshSeen, "the reaper's bound");
        clock.advance(Duration.ofSeconds(31));
        keeper().keep();
        assertEquals(3, outbox.renewed.size());
        assertEquals(clock.instant(), oldestFreshSeen);
    }

    @Test
    void aFreshDeliveryWhoseOutcomeWaitsInTheRecorderStaysWithinTheReapersBound() {
        start(job -> done(job, 200));
        log.pause.set(true); // the outcome is out of the lane and not written yet
        List<DeliveryJob> fresh = jobs("wh_a", 1, false);
        dispatcher.offer(fresh);
        assertEquals(0, dispatcher.lanes().held(), "the attempt is over");
        clock.advance(Duration.ofSeconds(5));
        keeper().keep();
        assertEquals(fresh.get(0).createdAt(), oldestFreshSeen,
                "were this instance to die now, the reaper must still find the delivery");
        log.pause.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.claims().unwritten().isEmpty());
        keeper().keep();
        assertEquals(clock.instant(), oldestFreshSeen, "written: nothing fresh held any more");
    }

    @Test
    void aDeliveryWhoseOutcomeCannotBeWrittenGetsALeaseThatThenRunsOut() {
        start(job -> done(job, 200));
        log.rejectAll.set(true);
        List<DeliveryJob> fresh = jobs("wh_a", 1, false);
        dispatcher.offer(fresh);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.claims().stranded().size() == 1);
        keeper().keep();
        assertEquals(fresh, outbox.renewed, "its fresh claim became a lease");
        keeper().keep();
        assertEquals(1, outbox.renewed.size(), "renewed once only: the lease runs out and the poller sends it again");
    }

    @Test
    void aCleanShutdownLeavesOnlyOnceAttemptsAndOutcomesAreWritten() throws Exception {
        start(job -> hang(job).thenApply(answered -> {
            Outcome outcome = outcome(job, 200);
            recorder.submit(outcome); // as the attempt runner records it
            return outcome;
        }));
        dispatcher.offer(jobs("wh_a", 3, false));
        log.pause.set(true);
        List<Boolean> unwrittenAtLeave = new CopyOnWriteArrayList<>();
        ClaimKeeper keeper = keeper(() -> unwrittenAtLeave.add(!recorder.claims().unwritten().isEmpty()
                || dispatcher.lanes().held() > 0));
        dispatcher.stop(null);
        Thread stopping = new Thread(() -> keeper.stop(null));
        stopping.start();
        await("waits for the two attempts in flight").during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1))
                .until(unwrittenAtLeave::isEmpty);
        answer(pending.get(0), 200);
        answer(pending.get(1), 200);
        await("waits for their outcomes to be written").during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1))
                .until(unwrittenAtLeave::isEmpty);
        log.pause.set(false);
        stopping.join(5_000);
        assertEquals(List.of(false), unwrittenAtLeave, "left once everything was written");
    }

    @Test
    void anInstanceTakenForDeadDropsWhatItHeld() {
        start(job -> hang(job));
        dispatcher.offer(jobs("wh_a", 5, false));
        heartbeatAccepted = false;
        keeper().keep();
        assertEquals(2, dispatcher.lanes().held(), "only the two already running are left to finish");
        answer(pending.get(0), 200);
        assertEquals(2, sent.size(), "nothing more is started");
    }

    @Test
    void freshClaimsHeldByNoOneAreLookedForOnceOlderThanHalfTheHorizonEachRowOnce() {
        start(job -> hang(job));
        ClaimKeeper keeper = keeper();
        Instant start = clock.instant();
        dispatcher.offer(jobs("wh_a", 1, false)); // held: in flight
        clock.advance(Duration.ofSeconds(10));
        keeper.keep();
        assertTrue(sweeps.isEmpty(), "no fresh claim is older than half the horizon (30 s) yet");
        clock.advance(Duration.ofSeconds(25));
        keeper.keep();
        assertEquals(List.of(new Sweep(start, clock.instant().minusSeconds(30), List.of(sent.get(0).deliveryId()))),
                sweeps, "from the start to half a horizon ago, sparing the held one (it got its lease instead)");
        clock.advance(Duration.ofSeconds(3));
        keeper.keep();
        assertEquals(sweeps.get(0).to(), sweeps.get(1).from(), "each row is looked at once");
        assertEquals(clock.instant().minusSeconds(30), sweeps.get(1).to());
    }

    private void start(Dispatcher.Attempt attempt) {
        recorder = new Recorder(log, outbox, List.of(), config, clock, new SimpleMeterRegistry());
        dispatcher = new Dispatcher(config, job -> {
            sent.add(job);
            return attempt.run(job);
        }, recorder, clock, new SimpleMeterRegistry());
        dispatcher.start();
    }

    private ClaimKeeper keeper() {
        return keeper(() -> {
        });
    }

    private ClaimKeeper keeper(Runnable onLeave) {
        Instance instance = new Instance(null, outboxConfig(), clock) {
            @Override
            public boolean heartbeat(Instant oldestFresh) {
                oldestFreshSeen = oldestFresh;
                return heartbeatAccepted;
            }

            @Override
            public void leave() {
                onLeave.run();
            }
        };
        Reaper reaper = new Reaper(null, instance, outboxConfig(), clock) {
            @Override
            public int releaseOrphans(String instanceId, Instant from, Instant to, Collection<String> held,
                    Instant now) {
                sweeps.add(new Sweep(from, to, List.copyOf(held)));
                return 0;
            }
        };
        return new ClaimKeeper(dispatcher, recorder, outbox, reaper, instance, outboxConfig(), clock);
    }

    private CompletableFuture<Outcome> hang(DeliveryJob job) {
        CompletableFuture<Outcome> future = new CompletableFuture<>();
        pending.add(future);
        return future;
    }

    private CompletableFuture<Outcome> done(DeliveryJob job, int status) {
        Outcome outcome = outcome(job, status);
        recorder.submit(outcome);
        return CompletableFuture.completedFuture(outcome);
    }

    private void answer(CompletableFuture<Outcome> future, int status) {
        future.complete(outcome(null, status));
    }

    private Outcome outcome(DeliveryJob job, int status) {
        AttemptResult result = new AttemptResult(clock.instant(), 1, Map.of(), status, Map.of(), "", null, null);
        return new Outcome(job, result, status == 200 ? DeliveryStatus.DELIVERED : DeliveryStatus.PENDING,
                clock.instant().plusSeconds(5), false);
    }

    private List<DeliveryJob> jobs(String endpoint, int count, boolean leased) {
        List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(new DeliveryJob("dlv_" + endpoint + "_" + i + "_" + leased, "evt_" + i, "repo.push", new byte[8],
                    1, "i_1.1", clock.instant(), leased ? clock.instant().plusSeconds(12) : null,
                    new DeliveryJob.Target(endpoint, "https://example.com", new byte[0], "k", null, null, null),
                    "org-1", DeliveryJob.Trace.NONE));
        }
        return jobs;
    }

    private static OutboxConfig outboxConfig() {
        return new OutboxConfig() {
            @Override
            public Duration lease() {
                return Duration.ofSeconds(12);
            }

            @Override
            public Duration heartbeat() {
                return Duration.ofSeconds(3);
            }

            @Override
            public Duration instanceTimeout() {
                return Duration.ofSeconds(10);
            }

            @Override
            public Duration freshHorizon() {
                return Duration.ofMinutes(1);
            }

            @Override
            public Duration reapEvery() {
                return Duration.ofSeconds(2);
            }
        };
    }

    /** Keeps what the dispatcher released and renewed; claims in {@code lose} are someone else's. */
    static final class FakeOutbox extends OutboxStore {
        final List<Release> released = Collections.synchronizedList(new ArrayList<>());
        final List<DeliveryJob> renewed = Collections.synchronizedList(new ArrayList<>());
        volatile Set<String> lose = Set.of();

        FakeOutbox() {
            super(null, null, null);
        }

        @Override
        public void release(List<Release> releases) {
            released.addAll(releases);
        }

        @Override
        public Set<String> renew(List<DeliveryJob> jobs, Instant leaseUntil) {
            renewed.addAll(jobs);
            return lose;
        }
    }
}
