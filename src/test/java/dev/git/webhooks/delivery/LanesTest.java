package dev.git.webhooks.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.OutboxStore.ClaimRequest;
import dev.git.webhooks.testing.FakeClock;

class LanesTest {

    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final TestDeliveryConfig config = new TestDeliveryConfig();
    private final Lanes lanes = new Lanes(config, clock);
    private int next;

    @Test
    void aLaneTakesItsCapPlusItsDepthAndNoMore() {
        for (int i = 0; i < config.cap + config.depth; i++) {
            assertNotNull(lanes.offer(job("wh_a")));
        }
        assertNull(lanes.offer(job("wh_a")), "full: the caller gives it back to the queue");
        assertNotNull(lanes.offer(job("wh_b")), "another endpoint is not affected");
        assertEquals(6, lanes.held());
    }

    @Test
    void startsNoMoreThanTheCapAtOnce() {
        for (int i = 0; i < 4; i++) {
            lanes.offer(job("wh_a"));
        }
        Lane lane = lanes.lane("wh_a");
        DeliveryJob first = lane.start(clock.instant());
        assertNotNull(lane.start(clock.instant()));
        assertNull(lane.start(clock.instant()), "cap of 2");
        lane.finished(first, clock.instant());
        assertNotNull(lane.start(clock.instant()));
    }

    @Test
    void anOpenBreakerTakesNothingAndIsExcludedFromClaims() {
        Lane lane = lanes.lane("wh_a");
        for (int i = 0; i < config.volume; i++) {
            lane.breaker().allow(clock.instant());
            lane.breaker().record(false, clock.instant());
        }
        assertNull(lanes.offer(job("wh_a")));
        ClaimRequest request = lanes.claimRequest(50);
        assertTrue(request.excluded().contains("wh_a"));
        assertEquals(clock.instant().plus(config.breakerDelay), lanes.holds().get("wh_a"));
        assertTrue(lane.newlyOpened(), "the poller puts its queue aside once");
        assertFalse(lane.newlyOpened());

        clock.advance(config.breakerDelay);
        assertEquals(1, lane.room(clock.instant()), "half-open: room for the one trial");
    }

    @Test
    void claimsAskForTheRoomEachLaneHasLeft() {
        lanes.offer(job("wh_a"));
        lanes.offer(job("wh_a"));
        for (int i = 0; i < 5; i++) {
            lanes.offer(job("wh_full"));
        }
        ClaimRequest request = lanes.claimRequest(50);
        assertEquals(3, request.rooms().get("wh_a"));
        assertTrue(request.excluded().contains("wh_full"));
        assertEquals(5, request.defaultRoom(), "an endpoint without a lane gets a whole lane's room");
        assertEquals(50, request.limit(), "a claim takes at most a batch");
        assertEquals(clock.instant(), lanes.holds().get("wh_full"), "due now: claimed once the lane has room");
    }

    @Test
    void theInstanceHoldsNoMoreThanItsLimits() {
        config.maxHeld = 3;
        assertNotNull(lanes.offer(job("wh_a")));
        assertNotNull(lanes.offer(job("wh_b")));
        assertNotNull(lanes.offer(job("wh_c")));
        assertFalse(lanes.hasRoom());
        assertNull(lanes.offer(job("wh_d")));
        assertEquals(0, lanes.claimRequest(50).limit());
    }

    @Test
    void payloadBytesAreBoundedToo() {
        config.maxHeldBytes = 100;
        assertNotNull(lanes.offer(job("wh_a", new byte[60])));
        assertNotNull(lanes.offer(job("wh_a", new byte[60])));
        assertNull(lanes.offer(job("wh_a", new byte[1])));
        assertEquals(0, lanes.claimRequest(50).limit(), "no claim that would be released at once");
        DeliveryJob started = lanes.lane("wh_a").start(clock.instant());
        lanes.lane("wh_a").finished(started, clock.instant());
        lanes.released(started);
        assertTrue(lanes.hasRoom());
        assertEquals(50, lanes.claimRequest(50).limit());
    }

    @Test
    void aFastEndpointsLaneMoreThanHalfFullIsCongestedAndASlowOnesIsNot() {
        config.depth = 100;
        config.maxHeld = 1000;
        Lane fast = lanes.lane("wh_fast");
        Lane slow = lanes.lane("wh_slow");
        for (int i = 0; i < Lane.FAST + 60; i++) {
            lanes.offer(job("wh_fast"));
            lanes.offer(job("wh_slow"));
        }
        assertFalse(lanes.congested(), "nothing answered yet: not known to be fast");
        for (int i = 0; i < Lane.FAST; i++) {
            finishOne(fast, true);
            finishOne(slow, false);
        }
        assertTrue(fast.congested(clock.instant()), "fast and more than half full");
        assertFalse(slow.congested(clock.instant()), "failing: its surplus goes to the queue, ingest does not wait");
        assertTrue(lanes.congested());
        clock.advance(Duration.ofSeconds(2));
        assertFalse(fast.congested(clock.instant()), "no success for two seconds: no longer fast");
    }

    private void finishOne(Lane lane, boolean success) {
        DeliveryJob job = lane.start(clock.instant());
        lane.finished(job, clock.instant(), success);
        lanes.released(job);
    }

    @Test
    void idleLanesAreSweptOnTheClockAndBusyOnesKept() {
        Lane idle = lanes.lane("wh_idle");
        lanes.offer(job("wh_busy"));
        clock.advance(Lanes.IDLE.plus(Duration.ofSeconds(1)));
        lanes.sweep();
        assertNull(lanes.existing("wh_idle"));
        assertNotNull(lanes.existing("wh_busy"));
        assertNull(idle.offer(job("wh_idle"), clock.instant()), "a retired lane takes nothing");
        Lane fresh = lanes.offer(job("wh_idle"));
        assertNotNull(fresh);
        assertFalse(fresh == idle);
    }

    @Test
    void lostClaimsAreForgottenUnsent() {
        DeliveryJob kept = job("wh_a");
        DeliveryJob lost = job("wh_a");
        Lane lane = lanes.offer(kept);
        assertSame(lane, lanes.offer(lost));
        assertEquals(List.of(lost), lane.forget(Set.of(lost.deliveryId())));
        assertEquals(List.of(kept), lane.jobs());
    }

    private DeliveryJob job(String endpoint) {
        return job(endpoint, new byte[10]);
    }

    private DeliveryJob job(String endpoint, byte[] payload) {
        return new DeliveryJob("dlv_" + next++, "evt_1", "repo.push", payload, 1, "i_1.1", clock.instant(), null,
                new DeliveryJob.Target(endpoint, "https://example.com", new byte[0], "k", null, null, null),
                "org-1", DeliveryJob.Trace.NONE);
    }
}
