package dev.git.webhooks.delivery.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.outbox.AttemptResult;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.DeliveryStatus;
import dev.git.webhooks.outbox.OutboxStore.Release;
import dev.git.webhooks.outbox.Outcome;
import dev.git.webhooks.testing.FakeClock;

/**
 * The engine's decisions, without a thread, a database or a network: commands in, effects out, on a fake clock.
 * Endpoints {@code wh_a} and {@code wh_b} are in bucket 1, {@code wh_c} in bucket 2; the engine owns bucket 1 unless
 * a test says otherwise.
 */
class EngineCoreTest {

    private static final Duration HEARTBEAT = Duration.ofSeconds(3);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The outcomes' linger of the tests about it (the others write at once). */
    private static final Duration LINGER = Duration.ofMillis(20);

    private final FakeClock clock = new FakeClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final Recorded effects = new Recorded();
    private Settings settings = settings(2, 3, 100, 1000, 4);
    private EngineCore core;
    private int sequence;

    // ---- lanes, caps, breakers ----

    @Test
    void aLaneSendsNoMoreThanItsCapAndTheRestFollowsAsSlotsFree() {
        start(1);
        offer(jobs("wh_a", 5, false));
        assertEquals(2, effects.attempts.size(), "cap of 2");
        finish(effects.attempts.get(0), 200);
        assertEquals(3, effects.attempts.size());
        assertTrue(released().isEmpty(), "everything fitted in the lane");
    }

    @Test
    void whatDoesNotFitGoesBackToTheQueueDueNow() {
        start(1);
        offer(jobs("wh_a", 8, false));
        writtenAll();
        assertEquals(3, released().size(), "cap 2 + depth 3 taken, 3 given back");
        assertTrue(released().stream().allMatch(r -> r.at().equals(clock.instant())), "due now");
        assertEquals(clock.instant(), core.snapshot().holds().get("wh_a"), "a full lane's new deliveries go to the queue");
    }

    @Test
    void anOpenBreakerHandsTheLaneBackWithoutSpendingAttemptsAndItsStateIsWritten() {
        settings = settings(2, 20, 100, 1000, 4);
        start(1);
        offer(jobs("wh_a", 12, false));
        for (int i = 0; i < 4; i++) {
            finish(effects.attempts.get(i), 500);
        }
        assertEquals(5, effects.attempts.size(), "the breaker opened after its window of 4 failures: one more was "
                + "already running");
        Instant openUntil = clock.instant().plusSeconds(30);
        writtenAll();
        assertEquals(7, released().size());
        assertTrue(released().stream().allMatch(r -> r.at().equals(openUntil)), "due when a trial may go");
        assertEquals(List.of(new Effects.Breaker("wh_a", openUntil, 30_000)), effects.writes.stream()
                .flatMap(w -> w.breakers().stream()).toList(), "written, so that another owner and the ops views see it");
        assertEquals(openUntil, core.snapshot().holds().get("wh_a"));
        offer(jobs("wh_a", 1, false));
        writtenAll();
        assertEquals(5, effects.attempts.size(), "nothing more while open");
        assertEquals(8, released().size());
    }

    @Test
    void afterTheBreakersWaitOneTrialGoesAndItsSuccessClosesIt() {
        settings = settings(2, 20, 100, 1000, 4);
        start(1);
        offer(jobs("wh_a", 4, false));
        List.copyOf(effects.attempts).forEach(job -> finish(job, 500));
        List.copyOf(effects.attempts.subList(2, 4)).forEach(job -> finish(job, 500));
        writtenAll();
        pass(Duration.ofSeconds(31));
        core.handle(new Command.Queued(List.of(new Command.Due("wh_a", 1, clock.instant()))));
        assertEquals(Map.of("wh_a", 1), effects.claims.get(effects.claims.size() - 1), "one trial, half-open");
        core.handle(new Command.Claimed(Map.of("wh_a", 1), jobs("wh_a", 1, true)));
        assertEquals(5, effects.attempts.size());
        finish(effects.attempts.get(4), 200);
        writtenAll();
        assertEquals(new Effects.Breaker("wh_a", null, 0), effects.writes.stream().flatMap(w -> w.breakers().stream())
                .reduce((a, b) -> b).orElseThrow(), "closed again");
    }

    @Test
    void noAttemptStartsWhileTooManyAreSentAndNotRecorded() {
        settings = settings(50, 50, 100, 1000, 4, 5);
        start(1);
        offer(jobs("wh_a", 30, false));
        assertEquals(5, effects.attempts.size(), "the recording budget: at least 5, or a second's worth");
        List.copyOf(effects.attempts).forEach(job -> finish(job, 200));
        assertEquals(5, effects.attempts.size(), "their outcomes are not written yet");
        writtenAll();
        assertEquals(10, effects.attempts.size(), "written: five more");
        List.copyOf(effects.attempts.subList(5, 10)).forEach(job -> finish(job, 200));
        writtenAll();
        assertEquals(20, effects.attempts.size(), "ten recorded in the last second: ten may be out at once");
    }

    @Test
    void aLaneWhoseEndpointStoppedAnsweringHoldsOnlyAFewSlotsWorthAndTakesMoreOnceOneAnswers() {
        settings = settings(2, 1000, 5000, 1000, 4);
        start(1);
        offer(jobs("wh_a", 100, false));
        writtenAll();
        assertTrue(released().isEmpty(), "an answering endpoint's lane takes up to its depth");
        clock.advance(Duration.ofSeconds(2)); // both attempts still out, nothing finished
        offer(jobs("wh_a", 10, false));
        writtenAll();
        assertEquals(10, released().size(), "it holds 100 already, more than 64: the new ones wait in the queue");
        assertEquals(clock.instant(), core.snapshot().holds().get("wh_a"));
        finish(effects.attempts.get(0), 200);
        offer(jobs("wh_a", 10, false));
        writtenAll();
        assertEquals(10, released().size(), "it answered: the lane takes its depth again");
    }

    @Test
    void anEndpointsOwnMaxConcurrencyCapsItsAttemptsInsteadOfTheDefault() {
        settings = settings(2, 100, 1000, 1000, 50);
        start(1);
        offer(jobs("wh_a", 10, false, 3, 0));
        offer(jobs("wh_b", 10, false, 0, 0));
        assertEquals(3, effects.attempts.stream().filter(j -> j.endpointId().equals("wh_a")).count(), "its own 3");
        assertEquals(2, effects.attempts.stream().filter(j -> j.endpointId().equals("wh_b")).count(), "the default 2");
        offer(jobs("wh_a", 1, false, 1, 0)); // the owner lowered it: the newest delivery says so
        finish(effects.attempts.get(0), 200);
        assertEquals(3, effects.attempts.size() - 2, "3 were out; one finished; 2 still out, above the new cap of 1");
        finish(effects.attempts.get(1), 200);
        finish(effects.attempts.get(2), 200);
        assertEquals(4, effects.attempts.stream().filter(j -> j.endpointId().equals("wh_a")).count(),
                "none out: one more starts, and only one");
    }

    @Test
    void aRateLimitedEndpointsAttemptsStartEvenlySpacedAtItsRateAndNeverInABurst() {
        settings = settings(8, 1000, 5000, 1000, 50);
        start(1);
        offer(jobs("wh_a", 100, false, 0, 10)); // 10 a second
        offer(jobs("wh_b", 20, false, 0, 0));
        assertEquals(1, effects.attempts.stream().filter(j -> j.endpointId().equals("wh_a")).count(),
                "one at once, however many slots are free");
        assertEquals(8, effects.attempts.stream().filter(j -> j.endpointId().equals("wh_b")).count(),
                "another endpoint is not held back");
        List<Instant> started = new ArrayList<>(List.of(clock.instant()));
        Set<DeliveryJob> answered = new java.util.HashSet<>();
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofMillis(25));
            core.handle(new Command.Tick());
            List<DeliveryJob> sent = effects.attempts.stream().filter(j -> j.endpointId().equals("wh_a")).toList();
            while (started.size() < sent.size()) {
                started.add(clock.instant());
            }
            sent.stream().filter(answered::add).forEach(j -> finish(j, 200)); // at once: no slot holds it back
        }
        assertEquals(8, started.size(), "750 ms at 10 a second: the first at once and one every 100 ms");
        for (int i = 1; i < started.size(); i++) {
            assertEquals(Duration.ofMillis(100), Duration.between(started.get(i - 1), started.get(i)));
        }
        assertTrue(core.snapshot().room(), "a rate-limited backlog does not hold ingest back for everyone");
    }

    @Test
    void aRateLimitedEndpointGetsOneAttemptAtATimeUntilItFirstAnswersSoItsFirstConnectionBunchesNothing() {
        settings = settings(8, 1000, 5000, 1000, 50);
        start(1);
        offer(jobs("wh_a", 20, false, 0, 50)); // a slot every 20 ms
        for (int i = 0; i < 7; i++) {
            clock.advance(Duration.ofMillis(20));
            core.handle(new Command.Tick());
        }
        assertEquals(1, effects.attempts.size(), "140 ms without an answer: still the first alone");
        finish(effects.attempts.get(0), 200);
        assertEquals(2, effects.attempts.size(), "answered: the next at once, on a new grid");
        clock.advance(Duration.ofMillis(20));
        core.handle(new Command.Tick());
        assertEquals(3, effects.attempts.size(), "and then one every 20 ms, the one before it still out");
    }

    // ---- ownership and lease ----

    @Test
    void deliveriesOfAnEndpointThisInstanceDoesNotOwnGoToItsOwner() {
        start(1);
        offer(jobs("wh_c", 2, false));
        assertTrue(effects.attempts.isEmpty());
        assertEquals(2, released().size());
        assertEquals(Set.of("wh_c"), effects.lastWrite().owners(), "its owner is told");
        assertFalse(core.snapshot().takes("wh_c", 2));
        assertTrue(core.snapshot().takes("wh_a", 1));
    }

    @Test
    void noAttemptStartsOnceTheLeaseOfTheLastHeartbeatRanOut() {
        start(1);
        offer(jobs("wh_a", 4, false));
        assertEquals(2, effects.attempts.size());
        clock.advance(TIMEOUT.minus(HEARTBEAT)); // no heartbeat came through meanwhile
        finish(effects.attempts.get(0), 200);
        assertEquals(2, effects.attempts.size(), "the others may take this instance for dead soon: it stops");
        assertFalse(core.snapshot().takes("wh_a", 1));
        core.handle(new Command.Beat(clock.instant(), true));
        assertEquals(3, effects.attempts.size(), "a heartbeat went through: it sends again");
    }

    @Test
    void anInstanceTakenForDeadDropsWhatItHeldAndItsBuckets() {
        start(1);
        offer(jobs("wh_a", 5, false));
        core.handle(new Command.Beat(clock.instant(), false));
        assertEquals(2, core.snapshot().held(), "only the two already running are left to finish");
        assertTrue(core.snapshot().buckets().isEmpty(), "its buckets went to the others");
        finish(effects.attempts.get(0), 200);
        assertEquals(2, effects.attempts.size(), "nothing more is started");
        // the reaper gave back the claims it saw (a release under them is refused); one of a row it could not see
        // (committed after it looked) is this instance's only, and is written
        assertEquals(Set.of("dlv_2", "dlv_3", "dlv_4"), released().stream().map(r -> r.job().deliveryId())
                .collect(java.util.stream.Collectors.toSet()), "what waited is given back");
    }

    /** The recording backlog it publishes is the results not yet written, not the attempts still in flight. */
    @Test
    void theRecordingBacklogCountsResultsNotWrittenNotAttemptsInFlight() {
        start(1);
        offer(jobs("wh_a", 2, false));
        assertEquals(0, core.snapshot().unrecorded(), "two attempts in flight, nothing to write yet");
        finish(effects.attempts.get(0), 200);
        assertEquals(1, core.snapshot().unrecorded(), "one result to write");
        writtenAll();
        assertEquals(0, core.snapshot().unrecorded());
    }

    /**
     * A lease that lapsed while the database was away: the instance's next claim finds its own rows again, one sent
     * with its outcome still to write, one waiting. The claim keeps their claims (OutboxStore), and the engine takes
     * neither a second time: each is sent once.
     */
    @Test
    void itsOwnRowsClaimedAgainAfterTheirLeaseLapsedAreNotSentTwice() {
        start(1);
        List<DeliveryJob> leased = jobs("wh_a", 3, true); // cap 2: two running, one waiting
        offer(leased);
        finish(effects.attempts.get(0), 200); // its outcome's write is in flight, the database away
        core.handle(new Command.Claimed(Map.of("wh_a", 3), List.of(leased.get(0), leased.get(2))));
        written();
        finish(effects.attempts.get(1), 200);
        writtenAll();
        effects.attempts.stream().skip(2).toList().forEach(job -> finish(job, 200));
        writtenAll();
        assertEquals(List.of("dlv_0", "dlv_1", "dlv_2"), effects.attempts.stream().map(DeliveryJob::deliveryId)
                .toList(), "each sent once");
    }

    /**
     * A row it gave back, claimed again under a new claim before the give-back's write was reported: the give-back
     * is refused when written (the claim is no longer its own), so the new claim is the row's, and it is sent.
     */
    @Test
    void aRowClaimedAgainUnderANewClaimWhileItsGiveBackIsWrittenIsSent() {
        settings = settings(1, 3, 100, 1000, 4);
        start(1, 2);
        offer(jobs("wh_a", 4, true)); // bucket 1 holds more: it stays
        List<DeliveryJob> leased = jobs("wh_c", 2, true); // bucket 2, cap 1: one running, one waiting
        offer(leased);
        core.handle(new Command.Share(1)); // bucket 2 is given back: what waits goes with it
        DeliveryJob given = released().get(0).job();
        assertEquals(leased.get(1), given);
        core.handle(new Command.Gained(Set.of(2))); // and taken again at once
        DeliveryJob again = new DeliveryJob(given.deliveryId(), given.eventId(), given.eventType(), given.payload(),
                given.attempt(), "i_1.new", given.createdAt(), clock.instant().plusSeconds(12), given.target(),
                given.owner(), given.trace(), given.order());
        core.handle(new Command.Claimed(Map.of("wh_c", 4), List.of(again)));
        writtenAll();
        finish(leased.get(0), 200);
        writtenAll();
        assertEquals(List.of(leased.get(0).claim(), "i_1.new"), effects.attempts.stream()
                .filter(job -> job.endpointId().equals("wh_c")).map(DeliveryJob::claim).toList(),
                "sent under the row's claim");
    }

    @Test
    void bucketsBeyondItsShareAreGivenBackOnceNothingOfThemIsHeldOrUnwritten() {
        start(1, 2);
        offer(jobs("wh_a", 3, false)); // bucket 1: 2 running, 1 waiting
        offer(jobs("wh_c", 1, false)); // bucket 2: 1 running
        core.handle(new Command.Share(1));
        assertTrue(effects.freed.isEmpty(), "bucket 2 still has an attempt in flight");
        assertFalse(core.snapshot().takes("wh_c", 2) && core.snapshot().buckets().contains(2), "takes nothing new for it");
        DeliveryJob running = effects.attempts.stream().filter(j -> j.endpointId().equals("wh_c")).findFirst()
                .orElseThrow();
        finish(running, 200);
        assertTrue(effects.freed.isEmpty(), "its outcome is not written yet");
        written();
        assertEquals(List.of(Set.of(2)), effects.freed, "freed once written");
        assertTrue(core.snapshot().buckets().contains(1));
        core.handle(new Command.Freed(Set.of(2)));
        assertEquals(Set.of(1), core.snapshot().buckets());
        assertEquals(3, effects.attempts.size(), "bucket 1 goes on");
    }

    @Test
    void gainedBucketsAreLookedAtAndTheirDueRowsClaimed() {
        start(1);
        core.handle(new Command.Gained(Set.of(2)));
        assertEquals(Set.of(2), effects.probedBuckets.get(0));
        core.handle(new Command.Probed(null, Map.of("wh_c", new Command.Queue(2, clock.instant(), null, 0))));
        assertEquals(Map.of("wh_c", 5), effects.claims.get(0), "its room: cap 2 + depth 3");
    }

    @Test
    void aBreakerLeftOpenByTheLastOwnerHoldsHereToo() {
        start(1);
        Instant until = clock.instant().plusSeconds(20);
        core.handle(new Command.Gained(Set.of(2)));
        core.handle(new Command.Probed(null, Map.of("wh_c", new Command.Queue(2, clock.instant(), until, 60_000))));
        assertTrue(effects.claims.isEmpty(), "nothing claimed while it is open");
        assertEquals(until, core.snapshot().holds().get("wh_c"));
        pass(Duration.ofSeconds(21));
        assertEquals(Map.of("wh_c", 1), effects.claims.get(0), "then one trial");
    }

    // ---- the queue ----

    @Test
    void aRetryIsClaimedWhenItIsDueWithTheRoomOfItsLane() {
        start(1);
        offer(jobs("wh_a", 1, false));
        Instant next = clock.instant().plusSeconds(5);
        finish(effects.attempts.get(0), outcome(effects.attempts.get(0), 503, next));
        written();
        assertTrue(effects.claims.isEmpty(), "not due yet");
        clock.advance(Duration.ofSeconds(5));
        core.handle(new Command.Tick());
        assertEquals(List.of(Map.of("wh_a", 5)), effects.claims);
    }

    /**
     * An endpoint changed (its URL, say) while a claim for it is in flight: the claim read the endpoint's row before
     * the change, so what it brings goes back to the queue unsent, and the lane claims again, as the endpoint is now.
     */
    @Test
    void whatAClaimInFlightBringsAfterItsEndpointChangedGoesBackUnsent() {
        start(1);
        offer(jobs("wh_a", 1, false));
        finish(effects.attempts.get(0), outcome(effects.attempts.get(0), 503, clock.instant().plusSeconds(5)));
        written();
        clock.advance(Duration.ofSeconds(5));
        core.handle(new Command.Tick());
        assertEquals(List.of(Map.of("wh_a", 5)), effects.claims, "a claim in flight");
        core.handle(new Command.EndpointChanged("wh_a"));
        int attempts = effects.attempts.size();
        List<DeliveryJob> readBefore = jobs("wh_a", 2, true);
        core.handle(new Command.Claimed(Map.of("wh_a", 5), readBefore));
        assertEquals(attempts, effects.attempts.size(), "nothing read before the change is sent");
        assertEquals(1, effects.claims.size(), "no claim before they are back in the queue: it would miss them");
        writtenAll();
        assertEquals(readBefore.stream().map(DeliveryJob::deliveryId).toList(), released().stream()
                .map(r -> r.job().deliveryId()).toList(), "both back to the queue");
        core.handle(new Command.Tick());
        assertEquals(2, effects.claims.size(), "and then the lane claims again");
    }

    /**
     * After the signals' connection was lost and made again, a missed signal may have been an endpoint's change: what
     * the lanes hold goes back to the queue to be read again; the attempts in flight go on.
     */
    @Test
    void aResyncAfterLostSignalsGivesBackWhatTheLanesHold() {
        start(1);
        List<DeliveryJob> four = jobs("wh_a", 4, false);
        offer(four);
        assertEquals(2, effects.attempts.size(), "cap 2: two in flight, two held");
        List<DeliveryJob> madeBefore = jobs("wh_c", 1, false); // an endpoint without a lane here
        clock.advance(Duration.ofMillis(5));
        core.handle(new Command.Resync());
        writtenAll();
        assertEquals(List.of(four.get(2).deliveryId(), four.get(3).deliveryId()), released().stream()
                .map(r -> r.job().deliveryId()).toList(), "the two held, back to the queue");
        core.handle(new Command.Gained(Set.of(2)));
        offer(madeBefore);
        writtenAll();
        assertEquals(3, released().size(), "a delivery made before the resync and offered after it goes back too");
        finish(effects.attempts.get(0), 200);
        assertEquals(2, effects.attempts.size(), "nothing held is started after the resync");
    }

    /**
     * A redelivery or replay copy that read its endpoint before a change and reaches the engine after it goes back to
     * the queue unsent; one made after the change is taken.
     */
    @Test
    void aFreshCopyMadeBeforeItsEndpointChangedAndOfferedAfterGoesBackUnsent() {
        start(1);
        List<DeliveryJob> before = jobs("wh_a", 1, false);
        clock.advance(Duration.ofMillis(5));
        core.handle(new Command.EndpointChanged("wh_a"));
        offer(before);
        assertTrue(effects.attempts.isEmpty(), "not sent as it was made");
        writtenAll();
        assertEquals(List.of(before.get(0).deliveryId()), released().stream().map(r -> r.job().deliveryId()).toList());
        clock.advance(Duration.ofMillis(5));
        offer(jobs("wh_a", 1, false));
        assertEquals(1, effects.attempts.size(), "one made after the change is sent");
    }

    @Test
    void aClaimAsksForEachDueLanesRoomAndSkipsFullOnesAndOthersEndpoints() {
        start(1);
        offer(jobs("wh_a", 5, false)); // full
        queued("wh_a", "wh_b");
        queued("wh_c"); // not owned: ignored
        assertEquals(List.of(Map.of("wh_b", 5)), effects.claims, "wh_a is full; wh_c is another's");
        core.handle(new Command.Claimed(Map.of("wh_b", 5), jobs("wh_b", 5, true)));
        for (int i = 0; i < 2; i++) {
            finish(attemptsOf("wh_a").get(i), 200);
        }
        assertEquals(1, effects.claims.size(), "3 of the 5 it holds at most: not a row at a time");
        finish(attemptsOf("wh_a").get(2), 200);
        assertEquals(Map.of("wh_a", 3), effects.claims.get(1), "down to half: then the room it has, in one claim");
    }

    @Test
    void aClaimTakesNoMoreThanItsBatchAndTheNextGoesFirstToTheLanesLeftOut() {
        settings = settings(2, 3, 100, 6, 4);
        start(1);
        queued("wh_a", "wh_b", "wh_d");
        assertEquals(Map.of("wh_a", 5, "wh_b", 1), effects.claims.get(0), "six in all");
        core.handle(new Command.Claimed(effects.claims.get(0), List.of()));
        core.handle(new Command.Probed(List.of("wh_a", "wh_b"), Map.of(
                "wh_a", new Command.Queue(1, clock.instant(), null, 0),
                "wh_b", new Command.Queue(1, clock.instant(), null, 0))));
        assertEquals(5, effects.claims.get(1).get("wh_d"), "the lane left out goes first now");
    }

    @Test
    void aBacklogIsClaimedALittleAtATimeNotToTheLanesDepth() {
        settings = settings(2, 1000, 5000, 1000, 4);
        start(1);
        queued("wh_a");
        assertEquals(List.of(Map.of("wh_a", 64)), effects.claims, "64 at most held from the queue, not 1,002");
        core.handle(new Command.Claimed(effects.claims.get(0), jobs("wh_a", 64, true)));
        assertEquals(1, effects.claims.size(), "nothing more while it holds them");
        for (int i = 0; i < 31; i++) {
            finish(effects.attempts.get(i), 200);
        }
        assertEquals(1, effects.claims.size(), "33 held: more than half its window, no claim of a row or two");
        finish(effects.attempts.get(31), 200);
        assertEquals(Map.of("wh_a", 32), effects.claims.get(1), "down to half: topped up in one claim");
    }

    /**
     * A lane shallower than half the claim window (depth 24 and cap 4 hold 28, the window is 64): its backlog must
     * still be claimed in batches. Topped up whenever it held 32 or fewer, it was claimed after every finish or two (39
     * claims a second for 78 attempts), and with one claim in flight at a time a slow claim then held its drain down.
     */
    @Test
    void aShallowLanesBacklogIsClaimedInBatchesNotARowOrTwoAfterEachFinish() {
        settings = settings(4, 24, 5000, 1000, 20);
        start(1);
        int backlog = 2000;
        queued("wh_a");
        Map<DeliveryJob, Instant> inFlight = new java.util.LinkedHashMap<>();
        int claimsSeen = 0;
        int attemptsSeen = 0;
        int sent = 0;
        for (int ms = 0; ms < 10_000; ms++) { // attempts answered in 50 ms, claims and writes at once
            while (claimsSeen < effects.claims.size()) {
                Map<String, Integer> rooms = effects.claims.get(claimsSeen++);
                int n = Math.min(rooms.getOrDefault("wh_a", 0), backlog);
                backlog -= n;
                core.handle(new Command.Claimed(rooms, jobs("wh_a", n, true)));
            }
            while (attemptsSeen < effects.attempts.size()) {
                inFlight.put(effects.attempts.get(attemptsSeen++), clock.instant().plusMillis(50));
            }
            writtenAll();
            for (var it = inFlight.entrySet().iterator(); it.hasNext(); ) {
                var attempt = it.next();
                if (!attempt.getValue().isAfter(clock.instant())) {
                    it.remove();
                    sent++;
                    finish(attempt.getKey(), 200);
                }
            }
            clock.advance(Duration.ofMillis(1));
            if (ms % 3000 == 2999) {
                core.handle(new Command.Beat(clock.instant(), true));
            }
        }
        assertTrue(sent >= 760, "its 4 slots kept busy: " + sent + " sent in 10 s of 50 ms answers");
        assertTrue(effects.claims.size() * 10 <= sent, effects.claims.size() + " claims for " + sent + " attempts");
    }

    @Test
    void anIdleEndpointsNewDeliveriesAreClaimedBesideABacklogsClaimNotBehindIt() {
        settings = settings(2, 1000, 5000, 1000, 4);
        start(1);
        queued("wh_a");
        assertEquals(List.of(Map.of("wh_a", 64)), effects.claims, "a backlog's claim, in flight");
        queued("wh_b");
        assertEquals(2, effects.claims.size(), "an endpoint that holds nothing is claimed at once, beside it");
        assertEquals(Set.of("wh_b"), effects.claims.get(1).keySet());
        queued("wh_d");
        assertEquals(2, effects.claims.size(), "one claim of idle endpoints at a time");
        core.handle(new Command.Claimed(effects.claims.get(1), jobs("wh_b", 1, true)));
        assertEquals(Set.of("wh_d"), effects.claims.get(2).keySet(), "the next idle one, the backlog's still out");
        core.handle(new Command.Claimed(effects.claims.get(0), jobs("wh_a", 64, true)));
        core.handle(new Command.Claimed(effects.claims.get(2), jobs("wh_d", 1, true)));
        Map<String, List<DeliveryJob>> sent = effects.attempts.stream()
                .collect(Collectors.groupingBy(DeliveryJob::endpointId));
        assertEquals(Map.of("wh_a", 2, "wh_b", 1, "wh_d", 1), Map.of("wh_a", sent.get("wh_a").size(), "wh_b",
                sent.get("wh_b").size(), "wh_d", sent.get("wh_d").size()), "each claim's rows sent (cap 2)");
        finish(sent.get("wh_b").get(0), 200);
        written(); // wh_b holds nothing again
        queued("wh_b");
        assertEquals(Set.of("wh_b"), effects.claims.get(3).keySet(), "no claim in flight: the first slot takes it");
    }

    @Test
    void nothingIsClaimedWhileTheInstanceHoldsAllItMay() {
        settings = settings(2, 3, 5, 100, 4);
        start(1);
        offer(jobs("wh_a", 5, false));
        queued("wh_b");
        assertTrue(effects.claims.isEmpty());
    }

    @Test
    void aClaimThatTookEveryDueRowAsksWhenTheNextIsDue() {
        start(1);
        queued("wh_a");
        core.handle(new Command.Claimed(Map.of("wh_a", 5), jobs("wh_a", 2, true)));
        assertEquals(List.of("wh_a"), List.copyOf(effects.probedEndpoints.get(0)));
        Instant later = clock.instant().plusSeconds(60);
        core.handle(new Command.Probed(List.of("wh_a"), Map.of("wh_a", new Command.Queue(1, later, null, 0))));
        assertEquals(1, effects.claims.size());
        pass(Duration.ofSeconds(60));
        assertEquals(2, effects.claims.size());
    }

    @Test
    void everyOwnedBucketIsLookedAtAgainEveryResyncInterval() {
        start(1);
        effects.probedBuckets.clear();
        clock.advance(Duration.ofSeconds(5));
        core.handle(new Command.Tick());
        assertEquals(List.of(Set.of(1)), effects.probedBuckets, "the net under missed signals");
    }

    // ---- leases ----

    @Test
    void leasesOfHeldDeliveriesAreRenewedEveryHeartbeatAndALostClaimIsDroppedUnsent() {
        start(1);
        List<DeliveryJob> leased = jobs("wh_a", 5, true);
        offer(leased);
        clock.advance(HEARTBEAT);
        core.handle(new Command.Tick());
        Effects.Renewal renewal = effects.renewals.get(0);
        assertEquals(5, renewal.jobs().size(), "every held delivery with a lease, running or waiting");
        core.handle(new Command.Renewed(renewal.convertBefore(), Set.of(leased.get(4).deliveryId())));
        finish(effects.attempts.get(0), 200);
        finish(effects.attempts.get(1), 200);
        finish(effects.attempts.get(2), 200);
        assertEquals(4, effects.attempts.size());
        assertFalse(effects.attempts.contains(leased.get(4)), "the claim passed to another instance: not sent here");
    }

    @Test
    void freshDeliveriesGetALeaseOnlyOnceTheyWaitedHalfTheFreshHorizonAndBoundTheReaperTillThen() {
        start(1);
        List<DeliveryJob> fresh = jobs("wh_a", 3, false);
        offer(fresh);
        clock.advance(HEARTBEAT);
        core.handle(new Command.Tick());
        assertTrue(effects.renewals.get(0).jobs().isEmpty(), "fresh and young: nothing to write");
        core.handle(new Command.Renewed(effects.renewals.get(0).convertBefore(), Set.of()));
        assertEquals(fresh.get(0).createdAt(), core.snapshot().oldestFresh(), "the reaper's bound");
        clock.advance(Duration.ofSeconds(31));
        core.handle(new Command.Tick());
        Effects.Renewal renewal = effects.renewals.get(1);
        assertEquals(3, renewal.jobs().size());
        core.handle(new Command.Renewed(renewal.convertBefore(), Set.of()));
        clock.advance(Duration.ofMillis(20));
        assertEquals(clock.instant(), core.snapshot().oldestFresh(), "leased now: the reaper need not look back for them");
    }

    /**
     * A fresh delivery created before the bound was last walked (its transaction committed after that walk) lowers
     * the bound in the very next view, not only at the next walk a second later: the heartbeat reports that view's
     * bound, and a reaper starting from a later one would never find the delivery.
     */
    @Test
    void aFreshDeliveryOfferedAfterTheBoundWasWalkedLowersItInTheNextView() {
        start(1);
        List<DeliveryJob> createdEarlier = jobs("wh_a", 1, false);
        clock.advance(Duration.ofMillis(300)); // its transaction commits meanwhile
        Instant walked = core.snapshot().oldestFresh();
        assertEquals(clock.instant(), walked, "nothing held yet");
        clock.advance(EngineCore.PUBLISH_EVERY);
        offer(createdEarlier);
        core.publishIfDue();
        assertEquals(createdEarlier.get(0).createdAt(), core.view().oldestFresh(),
                "the next view's bound reaches back to the delivery, within the second the walk is kept");
    }

    @Test
    void aFreshDeliveryWhoseOutcomeIsNotWrittenYetStaysWithinTheReapersBound() {
        start(1);
        List<DeliveryJob> fresh = jobs("wh_a", 1, false);
        offer(fresh);
        finish(effects.attempts.get(0), 200);
        clock.advance(Duration.ofSeconds(5));
        assertEquals(fresh.get(0).createdAt(), core.snapshot().oldestFresh(),
                "were this instance to die now, the reaper must still find the delivery");
        written();
        clock.advance(Duration.ofMillis(20));
        assertEquals(clock.instant(), core.snapshot().oldestFresh(), "written: nothing fresh held any more");
    }

    @Test
    void anOutcomeThatCannotBeWrittenGetsOneLeaseThatThenRunsOut() {
        start(1);
        List<DeliveryJob> fresh = jobs("wh_a", 1, false);
        offer(fresh);
        finish(effects.attempts.get(0), 200);
        core.handle(new Command.Written(effects.lastWrite(), List.of(), List.of(fresh.get(0))));
        clock.advance(HEARTBEAT);
        core.handle(new Command.Tick());
        assertEquals(fresh, effects.renewals.get(0).jobs(), "its fresh claim becomes a lease");
        core.handle(new Command.Renewed(effects.renewals.get(0).convertBefore(), Set.of()));
        clock.advance(HEARTBEAT);
        core.handle(new Command.Tick());
        assertTrue(effects.renewals.get(1).jobs().isEmpty(), "once only: the lease runs out and it is sent again");
    }

    @Test
    void freshClaimsHeldByNoOneAreLookedForOnceOlderThanHalfTheHorizonEachRowOnce() {
        Instant start = clock.instant();
        start(1);
        offer(jobs("wh_a", 1, false));
        for (int i = 0; i < 12; i++) { // 36 s
            clock.advance(HEARTBEAT);
            core.handle(new Command.Tick());
            Effects.Renewal last = effects.renewals.get(effects.renewals.size() - 1);
            core.handle(new Command.Renewed(last.convertBefore(), Set.of()));
        }
        List<Effects.Renewal> sweeps = effects.renewals.stream().filter(r -> r.orphansFrom() != null).toList();
        assertEquals(start, sweeps.get(0).orphansFrom(), "from the start");
        assertEquals(Set.of(effects.attempts.get(0).deliveryId()), sweeps.get(0).held(), "sparing the held one");
        for (int i = 1; i < sweeps.size(); i++) {
            assertEquals(sweeps.get(i - 1).orphansTo(), sweeps.get(i).orphansFrom(), "each row is looked at once");
        }
        assertEquals(clock.instant().minusSeconds(30), sweeps.get(sweeps.size() - 1).orphansTo(),
                "up to half a horizon ago");
    }

    @Test
    void theWindowOfAFailedRenewalsSweepForOrphansIsSweptByTheNextOne() {
        start(1);
        offer(jobs("wh_a", 1, false));
        Effects.Renewal failed = null;
        for (int i = 0; i < 14 && failed == null; i++) {
            clock.advance(HEARTBEAT);
            core.handle(new Command.Tick());
            Effects.Renewal last = effects.renewals.get(effects.renewals.size() - 1);
            if (last.orphansFrom() != null && i > 11) {
                failed = last;
                core.handle(new Command.RenewFailed(last));
            } else {
                core.handle(new Command.Renewed(last.convertBefore(), Set.of()));
            }
        }
        assertTrue(failed != null, "a renewal with a sweep failed");
        clock.advance(HEARTBEAT);
        core.handle(new Command.Tick());
        Effects.Renewal next = effects.renewals.get(effects.renewals.size() - 1);
        assertEquals(failed.orphansFrom(), next.orphansFrom(), "the failed window is swept again");
        assertEquals(clock.instant().minusSeconds(30), next.orphansTo(), "with the next one's own");
    }

    // ---- the database away ----

    @Test
    void aWriteThatFailsIsKeptAndMadeAgainWhileAttemptsStopAtTheBudget() {
        settings = settings(50, 50, 100, 1000, 4, 5);
        start(1);
        offer(jobs("wh_a", 20, false));
        effects.attempts.subList(0, 5).forEach(job -> finish(job, 200));
        Effects.Write failed = effects.lastWrite();
        core.handle(new Command.WriteFailed(failed));
        assertEquals(5, effects.attempts.size(), "nothing more is sent while nothing is recorded");
        int writes = effects.writes.size();
        clock.advance(Duration.ofSeconds(1));
        core.handle(new Command.Tick());
        assertEquals(writes + 1, effects.writes.size());
        assertEquals(failed.outcomes(), effects.lastWrite().outcomes().subList(0, failed.outcomes().size()),
                "the same outcomes first, tried again");
    }

    @Test
    void aFewOutcomesWaitTheLingerForMoreAndAreWrittenInOneWrite() {
        settings = settings(50, 50, 100, 1000, 4, 500, LINGER);
        start(1);
        offer(jobs("wh_a", 3, false));
        int writes = effects.writes.size();
        Instant first = clock.instant();
        finish(effects.attempts.get(0), 200);
        clock.advance(Duration.ofMillis(15));
        finish(effects.attempts.get(1), 200);
        assertEquals(writes, effects.writes.size(), "nothing written within the linger");
        assertFalse(core.nextWake().isAfter(first.plus(LINGER)), "woken when the first one's linger ends");
        clock.advance(Duration.ofMillis(5));
        core.handle(new Command.Tick());
        assertEquals(writes + 1, effects.writes.size());
        assertEquals(List.of(effects.attempts.get(0), effects.attempts.get(1)),
                effects.lastWrite().outcomes().stream().map(Outcome::job).toList(), "both in one write");
    }

    @Test
    void anOrderedDeliverysOutcomeIsWrittenWithoutLingering() {
        settings = settings(8, 20, 100, 1000, 4, 500, LINGER);
        start(1);
        queued("wh_a");
        claimedRuns(keyed("wh_a", "A", 1, 0, 2));
        int writes = effects.writes.size();
        finish(attemptsOf("wh_a").get(0), 200);
        assertEquals(writes + 1, effects.writes.size(), "its key's next waits for it: written at once");
    }

    @Test
    void aHandBackIsWrittenAtOnceWithTheOutcomesThatLinger() {
        settings = settings(1, 20, 100, 1000, 4, 500, LINGER);
        start(1);
        offer(jobs("wh_a", 3, false));
        int writes = effects.writes.size();
        DeliveryJob first = effects.attempts.get(0);
        finish(first, 200);
        assertEquals(writes, effects.writes.size(), "a lone outcome lingers");
        core.handle(new Command.EndpointChanged("wh_a")); // stopped: the one waiting is handed back
        assertEquals(writes + 1, effects.writes.size(), "the hand-back at once");
        assertEquals(1, effects.lastWrite().releases().size());
        assertEquals(List.of(first), effects.lastWrite().outcomes().stream().map(Outcome::job).toList(),
                "with the outcome that lingered");
    }

    @Test
    void afterAFailedWriteTheEngineSleepsUntilItsRetryNotInATightLoop() {
        settings = settings(50, 50, 100, 1000, 4, 500, LINGER);
        start(1);
        offer(jobs("wh_a", 1, false));
        finish(effects.attempts.get(0), 200);
        clock.advance(Duration.ofMillis(20));
        core.handle(new Command.Tick());
        core.handle(new Command.WriteFailed(effects.lastWrite()));
        clock.advance(Duration.ofMillis(30)); // past the linger of the outcome put back
        core.publishIfDue(); // as the shell does after each batch of commands
        assertTrue(core.nextWake().isAfter(clock.instant()), "woken for the retry of the write, not at once");
    }

    // ---- endpoints that change, shutdown ----

    @Test
    void anEndpointThatStoppedLosesWhatWaitsForIt() {
        start(1);
        offer(jobs("wh_a", 5, false));
        core.handle(new Command.EndpointChanged("wh_a"));
        writtenAll();
        assertEquals(3, released().size(), "handed back (a stopped endpoint's rows refuse it: nothing is sent)");
        finish(effects.attempts.get(0), 200);
        assertEquals(2, effects.attempts.size());
    }

    @Test
    void aCleanStopGivesBackWhatWaitsAndIsIdleOnlyOnceAttemptsAndWritesAreDone() {
        start(1);
        offer(jobs("wh_a", 5, false));
        core.handle(new Command.Stop());
        writtenAll();
        assertEquals(3, released().size());
        assertFalse(core.idle(), "two attempts in flight");
        finish(effects.attempts.get(0), 200);
        finish(effects.attempts.get(1), 200);
        assertFalse(core.idle(), "their outcomes are not written");
        writtenAll();
        assertTrue(core.idle());
        assertEquals(2, effects.attempts.size());
        assertFalse(core.snapshot().takes("wh_a", 1) && core.snapshot().sending());
    }

    @Test
    void readyLanesTakeTurnsOneAttemptEach() {
        settings = settings(10, 10, 100, 1000, 4, 3);
        start(1);
        offer(jobs("wh_a", 10, false));
        List.copyOf(effects.attempts).forEach(job -> finish(job, 200));
        offer(jobs("wh_b", 10, false));
        effects.attempts.clear();
        writtenAll();
        assertEquals(List.of("wh_a", "wh_b", "wh_a"), effects.attempts.stream().map(DeliveryJob::endpointId).toList()
                .subList(0, 3), "round robin, not one endpoint's backlog first");
    }

    @Test
    void theViewHoldsBackIngestWhileTheInstanceIsFull() {
        settings = settings(2, 3, 4, 1000, 4);
        start(1);
        assertTrue(core.snapshot().room());
        offer(jobs("wh_a", 4, false));
        clock.advance(Duration.ofMillis(20));
        assertFalse(core.snapshot().room());
        assertNull(core.snapshot().holds().get("wh_b"));
    }

    @Test
    void aFastEndpointsLaneFullOfFreshDeliveriesHoldsIngestBackButABacklogFromTheQueueDoesNot() {
        settings = settings(2, 100, 1000, 1000, 4);
        start(1);
        offer(jobs("wh_a", 60, false)); // fresh, more than half of its 102
        for (int i = 0; i < 50; i++) {
            finish(effects.attempts.get(i), 200); // fast: 50 a second
            offer(jobs("wh_a", 1, false));
        }
        assertFalse(core.snapshot().room(), "a fast endpoint's lane half full of fresh deliveries: ingest waits");
        List.copyOf(effects.attempts.subList(50, effects.attempts.size())).forEach(job -> finish(job, 200));
        core.handle(new Command.EndpointChanged("wh_a")); // what waits goes back
        writtenAll();

        queued("wh_b");
        core.handle(new Command.Claimed(effects.claims.get(effects.claims.size() - 1), jobs("wh_b", 100, true)));
        for (int i = 0; i < 50; i++) {
            DeliveryJob running = effects.attempts.get(effects.attempts.size() - 1);
            finish(running, 200);
        }
        assertTrue(core.snapshot().room(), "a lane filled from the queue, however fast, does not hold ingest back");
    }

    // ---- ordered endpoints (SPEC §12) ----

    @Test
    void aClaimedRunOfAKeyGoesOneAtATimeInItsOrderBesideOtherKeys() {
        orderedEndpoint(500);
        List<DeliveryJob> a = keyed("wh_a", "A", 1, 0, 3);
        List<DeliveryJob> b = keyed("wh_a", "B", 10, 0, 2);
        claimedRuns(a, b);
        assertEquals(List.of(a.get(0), b.get(0)), effects.attempts, "the first of each key, with 8 slots free");
        finish(a.get(0), 200);
        assertEquals(a.get(1), effects.attempts.get(2), "the next of A once A's first ended, before it is written");
        finish(b.get(0), 200);
        finish(a.get(1), 200);
        assertEquals(List.of(a.get(0), b.get(0), a.get(1), b.get(1), a.get(2)), effects.attempts);
        assertTrue(released().isEmpty());
    }

    @Test
    void aRetryingDeliveryOfAKeySendsTheRestOfItsRunBackToTheQueueAndOtherKeysGoOn() {
        orderedEndpoint(500);
        List<DeliveryJob> a = keyed("wh_a", "A", 1, 0, 3);
        List<DeliveryJob> b = keyed("wh_a", "B", 10, 0, 2);
        claimedRuns(a, b);
        finish(a.get(0), 503);
        writtenAll();
        assertEquals(List.of(a.get(1).deliveryId(), a.get(2).deliveryId()), released().stream()
                .map(r -> r.job().deliveryId()).toList(), "behind the retry, in the queue");
        finish(b.get(0), 200);
        assertEquals(List.of(a.get(0), b.get(0), b.get(1)), effects.attempts, "nothing more of A; B goes on");
    }

    @Test
    void aDeliveryOfAKeyThatFailsForGoodReleasesItsKeyAndTheNextGoesOn() {
        orderedEndpoint(500);
        List<DeliveryJob> a = keyed("wh_a", "A", 1, 0, 3);
        claimedRuns(a);
        AttemptResult refused = new AttemptResult(clock.instant(), 5, Map.of(), 503, Map.of(), "", "http_status",
                null);
        finish(a.get(0), new Outcome(a.get(0), refused, DeliveryStatus.FAILED, null, false)); // its last attempt
        writtenAll();
        assertEquals(List.of(a.get(0), a.get(1)), effects.attempts, "the key's next goes: a failure holds nothing");
        assertTrue(released().isEmpty(), "nothing of the key goes back to the queue");
        finish(a.get(1), 200);
        assertEquals(List.of(a.get(0), a.get(1), a.get(2)), effects.attempts, "and the rest in order");
    }

    @Test
    void aKeysRetryLeavesTheOtherKeysWaitingDeliveriesWhoseOneBeforeEndedWell() {
        orderedEndpoint(2); // two attempts sent and not recorded at most
        List<DeliveryJob> a = keyed("wh_a", "A", 1, 0, 2);
        List<DeliveryJob> c = keyed("wh_a", "C", 10, 0, 2);
        claimedRuns(a, c);
        assertEquals(List.of(a.get(0), c.get(0)), effects.attempts);
        finish(c.get(0), 200); // C's second waits for the recording budget, the one before it delivered
        finish(a.get(0), 503);
        writtenAll();
        assertEquals(List.of(a.get(1).deliveryId()), released().stream().map(r -> r.job().deliveryId()).toList(),
                "only A's second goes back behind A's retry");
        assertEquals(c.get(1), effects.attempts.get(effects.attempts.size() - 1), "C goes on");
    }

    @Test
    void anOrderedRetryIsClaimedAtItsTimeThoughAClaimInBetweenTookEveryRowThenDue() {
        orderedEndpoint(500);
        List<DeliveryJob> a = keyed("wh_a", "A", 1, 0, 1);
        claimedRuns(a);
        finish(a.get(0), 503); // due again in 5 s
        writtenAll();
        queued("wh_a"); // another key's new delivery, claimed a moment later
        clock.advance(EngineCore.ORDERED_BATCH);
        core.handle(new Command.Tick());
        core.handle(new Command.Claimed(effects.claims.get(1), keyed("wh_a", "B", 5, 0, 1)));
        int claims = effects.claims.size();
        pass(Duration.ofSeconds(5));
        core.handle(new Command.Tick());
        assertEquals(claims + 1, effects.claims.size(), "A's retry, at its time, without waiting for the resync");
    }

    @Test
    void anOrderedEndpointsNewRowsShareOneClaimAMomentLater() {
        orderedEndpoint(500);
        claimedRuns(keyed("wh_a", "A", 1, 0, 1)); // the lane knows it is ordered from its first delivery
        int claims = effects.claims.size();
        for (int i = 0; i < 3; i++) {
            queued("wh_a"); // three ingest batches, 5 ms apart
            clock.advance(Duration.ofMillis(5));
            core.handle(new Command.Tick());
        }
        assertEquals(claims, effects.claims.size(), "not one claim per batch");
        clock.advance(EngineCore.ORDERED_BATCH);
        core.handle(new Command.Tick());
        assertEquals(claims + 1, effects.claims.size(), "one claim for the three");
    }

    @Test
    void aLostClaimInAKeysRunSendsWhatFollowsItBackAndTheRestGoesOn() {
        orderedEndpoint(500);
        List<DeliveryJob> a = keyed("wh_a", "A", 1, 0, 4);
        claimedRuns(a);
        clock.advance(HEARTBEAT);
        core.handle(new Command.Tick());
        core.handle(new Command.Renewed(effects.renewals.get(0).convertBefore(), Set.of(a.get(2).deliveryId())));
        writtenAll();
        assertEquals(List.of(a.get(3).deliveryId()), released().stream().map(r -> r.job().deliveryId()).toList(),
                "behind the lost one: it would overtake it");
        finish(a.get(0), 200);
        finish(a.get(1), 200);
        assertEquals(List.of(a.get(0), a.get(1)), effects.attempts, "the two before it go on; nothing after");
    }

    @Test
    void aDeliveryWhosePredecessorIsNotHeldHereGoesBackUnsent() {
        orderedEndpoint(500);
        List<DeliveryJob> a = keyed("wh_a", "A", 1, 0, 4);
        // the claim skipped A's second (locked): the third's predecessor is not here, nor is anything after it
        core.handle(new Command.Claimed(effects.claims.get(0), List.of(a.get(0), a.get(2), a.get(3))));
        List<DeliveryJob> notFirst = keyed("wh_a", "C", 20, 19, 1); // a key whose first pending is elsewhere
        core.handle(new Command.Claimed(Map.of(), notFirst));
        writtenAll();
        assertEquals(List.of(a.get(0)), effects.attempts);
        assertEquals(Set.of(a.get(2).deliveryId(), a.get(3).deliveryId(), notFirst.get(0).deliveryId()),
                released().stream().map(r -> r.job().deliveryId()).collect(Collectors.toSet()));
        assertTrue(released().stream().allMatch(r -> r.at().equals(clock.instant())), "due now, behind their key");
    }

    @Test
    void aKeysNextRunIsClaimedOnlyOnceTheLastOfItsRunIsWritten() {
        orderedEndpoint(500);
        List<DeliveryJob> a = keyed("wh_a", "A", 1, 0, 2);
        core.handle(new Command.Claimed(Map.of("wh_a", 28), a));
        int claims = effects.claims.size();
        finish(a.get(0), 200);
        writtenAll();
        clock.advance(Duration.ofMillis(100));
        core.handle(new Command.Tick());
        assertEquals(claims, effects.claims.size(), "the key's run is still held here: nothing to claim for it");
        finish(a.get(1), 200);
        writtenAll();
        clock.advance(Duration.ofMillis(100));
        core.handle(new Command.Tick());
        assertEquals(claims + 1, effects.claims.size(), "its run is over: the next is claimed");
    }

    // ---- helpers ----

    private static Settings settings(int cap, int depth, int maxHeld, int claimBatch, int breakerVolume) {
        return settings(cap, depth, maxHeld, claimBatch, breakerVolume, 500);
    }

    private static Settings settings(int cap, int depth, int maxHeld, int claimBatch, int breakerVolume,
            int recordingFloor) {
        return settings(cap, depth, maxHeld, claimBatch, breakerVolume, recordingFloor, Duration.ZERO);
    }

    private static Settings settings(int cap, int depth, int maxHeld, int claimBatch, int breakerVolume,
            int recordingFloor, Duration writeLinger) {
        return new Settings(cap, depth, maxHeld, 1 << 20, recordingFloor, 5000, claimBatch, 1000, writeLinger,
                HEARTBEAT, TIMEOUT,
                Duration.ofSeconds(12), Duration.ofMinutes(1), Duration.ofSeconds(5), Duration.ofSeconds(1),
                breakerVolume, 0.5, Duration.ofSeconds(30), Duration.ofMinutes(2));
    }

    private void start(Integer... buckets) {
        core = new EngineCore(settings, clock, effects);
        core.handle(new Command.Beat(clock.instant(), true));
        core.handle(new Command.Gained(Set.of(buckets)));
        core.handle(new Command.Probed(null, Map.of())); // nothing queued yet
        effects.probedBuckets.clear();
    }

    /** Time passes, with a heartbeat every 3 s as the shell sends them (the lease holds). */
    private void pass(Duration duration) {
        for (Duration left = duration; !left.isZero(); ) {
            Duration step = left.compareTo(HEARTBEAT) < 0 ? left : HEARTBEAT;
            clock.advance(step);
            left = left.minus(step);
            core.handle(new Command.Beat(clock.instant(), true));
        }
    }

    private List<DeliveryJob> attemptsOf(String endpoint) {
        return effects.attempts.stream().filter(job -> job.endpointId().equals(endpoint)).toList();
    }

    private void offer(List<DeliveryJob> jobs) {
        core.handle(new Command.Offer(jobs));
    }

    private void queued(String... endpoints) {
        List<Command.Due> due = new ArrayList<>();
        for (String e : endpoints) {
            due.add(new Command.Due(e, bucket(e), clock.instant()));
        }
        core.handle(new Command.Queued(due));
    }

    /** Completes the write in flight (every outcome applied), if any. */
    private void written() {
        if (effects.pendingWrite) {
            Effects.Write write = effects.lastWrite();
            effects.pendingWrite = false;
            core.handle(new Command.Written(write, write.outcomes(), List.of()));
        }
    }

    /** Completes writes until none is in flight. */
    private void writtenAll() {
        while (effects.pendingWrite) {
            written();
        }
    }

    private List<Release> released() {
        List<Release> all = new ArrayList<>();
        effects.writes.forEach(w -> all.addAll(w.releases()));
        return all;
    }

    private void finish(DeliveryJob job, int status) {
        finish(job, outcome(job, status, status / 100 == 2 ? null : clock.instant().plusSeconds(5)));
    }

    private void finish(DeliveryJob job, Outcome outcome) {
        core.handle(new Command.Finished(job, outcome));
    }

    private Outcome outcome(DeliveryJob job, int status, Instant next) {
        AttemptResult result = new AttemptResult(clock.instant(), 5, Map.of(), status, Map.of(), "", status / 100 == 2
                ? null : "http_status", null);
        DeliveryStatus outcome = status / 100 == 2 ? DeliveryStatus.DELIVERED : DeliveryStatus.PENDING;
        return new Outcome(job, result, outcome, status / 100 == 2 ? null : next, false);
    }

    private List<DeliveryJob> jobs(String endpoint, int count, boolean leased) {
        return jobs(endpoint, count, leased, 0, 0);
    }

    private List<DeliveryJob> jobs(String endpoint, int count, boolean leased, int maxConcurrency, int rateLimit) {
        List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = sequence++;
            jobs.add(new DeliveryJob("dlv_" + n, "evt_" + n, "repo.push", new byte[10], 1, "i_1." + n,
                    clock.instant(), leased ? clock.instant().plusSeconds(12) : null,
                    new DeliveryJob.Target(endpoint, bucket(endpoint), "https://example.com", new byte[0], "k", null,
                            null, null, maxConcurrency, rateLimit, null, null), "org", DeliveryJob.Trace.NONE));
        }
        return jobs;
    }

    /** {@code count} deliveries of {@code key}, claimed in a run from {@code seq} on, the first after {@code after}. */
    private List<DeliveryJob> keyed(String endpoint, String key, long seq, long after, int count) {
        List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = sequence++;
            jobs.add(new DeliveryJob("dlv_" + n, "evt_" + n, "repo.push", new byte[10], 1, "i_1." + n,
                    clock.instant(), clock.instant().plusSeconds(12),
                    new DeliveryJob.Target(endpoint, bucket(endpoint), "https://example.com", new byte[0], "k", null,
                            null, null, 0, 0, null, "repo"), "org", DeliveryJob.Trace.NONE,
                    new DeliveryJob.Order(key, seq + i, i == 0 ? after : seq + i - 1)));
        }
        return jobs;
    }

    /** An ordered endpoint {@code wh_a} with 8 slots whose queue was signalled: its first claim is asked. */
    private void orderedEndpoint(int recordingFloor) {
        settings = settings(8, 20, 100, 1000, 4, recordingFloor);
        start(1);
        queued("wh_a");
    }

    /** The first claim answers these runs. */
    @SafeVarargs
    private void claimedRuns(List<DeliveryJob>... runs) {
        core.handle(new Command.Claimed(effects.claims.get(0),
                java.util.stream.Stream.of(runs).flatMap(List::stream).toList()));
    }

    private static int bucket(String endpoint) {
        return endpoint.equals("wh_c") ? 2 : 1; // wh_a, wh_b, wh_d: 1
    }

    /** The effects asked for, in order; a write stays "in flight" until the test completes it. */
    private static final class Recorded implements Effects {
        final List<DeliveryJob> attempts = new ArrayList<>();
        final List<Write> writes = new ArrayList<>();
        final List<Map<String, Integer>> claims = new ArrayList<>();
        final List<Collection<String>> probedEndpoints = new ArrayList<>();
        final List<Set<Integer>> probedBuckets = new ArrayList<>();
        final List<Renewal> renewals = new ArrayList<>();
        final List<Set<Integer>> freed = new ArrayList<>();
        boolean pendingWrite;

        @Override
        public void attempt(DeliveryJob job) {
            attempts.add(job);
        }

        @Override
        public void write(Write write) {
            writes.add(write);
            pendingWrite = true;
        }

        @Override
        public void claim(Map<String, Integer> rooms, Instant now, boolean idle) {
            claims.add(Map.copyOf(rooms));
        }

        @Override
        public void probe(Collection<String> endpoints, Set<Integer> buckets) {
            if (endpoints == null) {
                probedBuckets.add(buckets);
            } else {
                probedEndpoints.add(endpoints);
            }
        }

        @Override
        public void renew(Renewal renewal) {
            renewals.add(renewal);
        }

        @Override
        public void free(Set<Integer> buckets) {
            freed.add(buckets);
        }

        @Override
        public void releaseUnheld(Collection<String> eventIds, Set<String> held) {
        }

        @Override
        public void publish(View view) {
        }

        Write lastWrite() {
            return writes.get(writes.size() - 1);
        }
    }
}
