package dev.git.webhooks.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.outbox.AttemptResult;
import dev.git.webhooks.outbox.DeliveryChanges;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.DeliveryStatus;
import dev.git.webhooks.outbox.OutboxStore;
import dev.git.webhooks.outbox.Outcome;
import dev.git.webhooks.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The poller with a fake clock, a fake sender and a fake queue: claims sized by the lanes' room, nothing while the
 * instance is full, open breakers put aside once, and a lane whose deliveries went to the queue claimed as soon as it
 * has room again rather than at the next interval.
 */
class PollerTest {

    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final TestDeliveryConfig config = new TestDeliveryConfig();
    private final FakeQueue queue = new FakeQueue();
    private final List<String> postponed = new CopyOnWriteArrayList<>();
    private final List<DeliveryJob> sent = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Outcome>> pending = new CopyOnWriteArrayList<>();
    private Recorder recorder;
    private Dispatcher dispatcher;
    private Poller poller;

    @AfterEach
    void stop() throws InterruptedException {
        poller.stop(null);
        recorder.stop();
    }

    @Test
    void aClaimAsksForTheRoomOfEachLaneAndSkipsFullOnes() {
        start();
        queue.add(jobs("wh_a", 20));
        queue.add(jobs("wh_b", 2));
        assertFalse(poller.pollOnce(), "the claim took less than a batch: nothing more to ask for");
        assertEquals(5 + 2, dispatcher.lanes().held(), "a fresh lane's room (cap 2 + depth 3) each");
        assertEquals(4, sent.size(), "two attempts in flight per endpoint");
        poller.pollOnce();
        assertTrue(queue.requests.get(1).excluded().contains("wh_a"), "a full lane is not claimed for");
        assertEquals(3, queue.requests.get(1).rooms().get("wh_b"), "a lane's room left");
        assertEquals(15, queue.due("wh_a"));
    }

    @Test
    void nothingIsClaimedWhileTheInstanceHoldsAllItMay() {
        config.maxHeld = 2;
        start();
        dispatcher.offer(jobs("wh_a", 2));
        queue.add(jobs("wh_b", 1));
        assertFalse(poller.pollOnce());
        assertTrue(queue.requests.isEmpty(), "no claim whose rows would be released at once");
    }

    @Test
    void anOpenBreakerPutsItsEndpointsQueueAsideOnce() {
        start();
        Lane lane = dispatcher.lanes().lane("wh_a");
        for (int i = 0; i < config.volume; i++) {
            lane.breaker().allow(clock.instant());
            lane.breaker().record(false, clock.instant());
        }
        poller.pollOnce();
        poller.pollOnce();
        assertEquals(List.of("wh_a@" + clock.instant().plus(config.breakerDelay)), postponed);
        assertTrue(queue.requests.get(0).excluded().contains("wh_a"));
    }

    @Test
    void aLaneWhoseDeliveriesWentToTheQueueIsClaimedForAsSoonAsItHasRoom() {
        config.pollInterval = Duration.ofMinutes(10); // only a wake-up can explain a claim within the test
        start();
        poller.start(null);
        List<DeliveryJob> fresh = jobs("wh_a", 8);
        assertEquals(5, dispatcher.offer(fresh), "cap 2 + depth 3; three go to the queue");
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.due("wh_a") == 3); // the recorder's thread
        assertTrue(queue.requests.isEmpty());

        answer(0);
        answer(1); // two more start; the lane holds 3 of 5: room for half a lane
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.due("wh_a") == 1);
        assertEquals(1, queue.requests.size(), "one claim, woken by the lane");
        assertEquals(2, queue.requests.get(0).rooms().get("wh_a"));

        answer(2);
        answer(3); // room again, and the claim took one: all that was queued for it
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.due("wh_a") == 0);
        answer(4);
        answer(5);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> queue.requests.size() == 2); // caught up: its room wakes nobody
        assertEquals(8, sent.stream().map(DeliveryJob::deliveryId).distinct().count(), "each sent once");
    }

    private void start() {
        RecorderTest.FakeLog log = new RecorderTest.FakeLog();
        recorder = new Recorder(log, queue, List.of(), config, clock, new SimpleMeterRegistry());
        dispatcher = new Dispatcher(config, job -> {
            CompletableFuture<Outcome> future = new CompletableFuture<>();
            synchronized (sent) { // in the same order in both lists, whichever thread starts it
                sent.add(job);
                pending.add(future);
            }
            return future;
        }, recorder, clock, new SimpleMeterRegistry());
        dispatcher.start();
        poller = new Poller(queue, new DeliveryChanges(null, null) {
            @Override
            public int postpone(String endpointId, Instant until) {
                postponed.add(endpointId + "@" + until);
                return 0;
            }
        }, dispatcher, config, clock);
    }

    private void answer(int attempt) {
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() > attempt);
        DeliveryJob job = sent.get(attempt);
        AttemptResult result = new AttemptResult(clock.instant(), 1, Map.of(), 200, Map.of(), "", null, null);
        pending.get(attempt).complete(new Outcome(job, result, DeliveryStatus.DELIVERED, null, false));
    }

    private List<DeliveryJob> jobs(String endpoint, int count) {
        List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(new DeliveryJob("dlv_" + endpoint + "_" + i, "evt_" + i, "repo.push", new byte[8], 1, "i_1.1",
                    clock.instant(), null,
                    new DeliveryJob.Target(endpoint, "https://example.com", new byte[0], "k", null, null, null),
                    "org-1", DeliveryJob.Trace.NONE));
        }
        return jobs;
    }

    /** The outbox's queue in memory: due jobs per endpoint, claimed by room, and released back into it. */
    static final class FakeQueue extends OutboxStore {
        final List<ClaimRequest> requests = new CopyOnWriteArrayList<>();
        private final Map<String, List<DeliveryJob>> due = new HashMap<>();

        FakeQueue() {
            super(null, null, null);
        }

        synchronized void add(List<DeliveryJob> jobs) {
            jobs.forEach(job -> due.computeIfAbsent(job.endpointId(), id -> new ArrayList<>()).add(job));
        }

        synchronized int due(String endpointId) {
            return due.getOrDefault(endpointId, List.of()).size();
        }

        @Override
        public synchronized List<DeliveryJob> claim(ClaimRequest request) {
            requests.add(request);
            List<DeliveryJob> claimed = new ArrayList<>();
            for (Map.Entry<String, List<DeliveryJob>> entry : due.entrySet()) {
                if (request.excluded().contains(entry.getKey())) {
                    continue;
                }
                int room = request.rooms().getOrDefault(entry.getKey(), request.defaultRoom());
                List<DeliveryJob> jobs = entry.getValue();
                while (room-- > 0 && !jobs.isEmpty() && claimed.size() < request.limit()) {
                    claimed.add(jobs.remove(0));
                }
            }
            return Collections.unmodifiableList(claimed);
        }

        @Override
        public void release(List<Release> releases) {
            add(releases.stream().map(Release::job).toList());
        }
    }
}
