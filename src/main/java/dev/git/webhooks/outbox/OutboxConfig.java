package dev.git.webhooks.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code webhooks.outbox.*}: claims, their leases, and how fast a dead instance's claims come back. */
@ConfigMapping(prefix = "webhooks.outbox")
public interface OutboxConfig {

    /**
     * How long a delivery claimed from the queue belongs to this instance without a renewal. The instance renews
     * the claims it still holds every {@link #heartbeat()}, however slow the endpoint.
     */
    @WithDefault("12s")
    Duration lease();

    /** How often an instance says it is alive and renews its claims. */
    @WithDefault("3s")
    Duration heartbeat();

    /**
     * An instance silent this long is dead: its claims go back to the queue. With the reaper's interval this keeps
     * a dead instance's deliveries moving again within 15 s of its death.
     */
    @WithDefault("10s")
    Duration instanceTimeout();

    /**
     * A fresh delivery (claimed when inserted, in no queue index) that waits longer than this in its instance is
     * given a lease like a queued one, which bounds what must be looked at when an instance dies.
     */
    @WithDefault("1m")
    Duration freshHorizon();

    /** How often each instance looks for dead instances and gives their fresh claims back ({@link Reaper}). */
    @WithDefault("2s")
    Duration reapEvery();
}
