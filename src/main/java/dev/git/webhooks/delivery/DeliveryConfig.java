package dev.git.webhooks.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code webhooks.delivery.*}: how deliveries are sent, retried and isolated per endpoint. */
@ConfigMapping(prefix = "webhooks.delivery")
public interface DeliveryConfig {

    /** Whole attempt, from connect to the last byte of the answer. */
    @WithDefault("10s")
    Duration timeout();

    @WithDefault("5s")
    Duration connectTimeout();

    /** Delays after the first attempt; its length + 1 is the number of attempts. */
    @WithDefault("5s,5m,30m,2h,5h,10h,10h")
    List<Duration> retrySchedule();

    /** Each delay is stretched or shrunk by up to this fraction at random, so retries do not stampede. */
    @WithDefault("0.1")
    double retryJitter();

    /** The longest {@code Retry-After} honoured on 429 and 503. */
    @WithDefault("1h")
    Duration retryAfterCap();

    /** Attempts in flight to one endpoint at once, across all instances (its owner sends them all). */
    @WithDefault("8")
    int maxInFlightPerEndpoint();

    /** Claimed deliveries that one endpoint's lane holds waiting for a slot; beyond, they wait in the queue. */
    @WithDefault("1024")
    int laneDepth();

    /** Deliveries held in memory (queued or in flight) by this instance, over all endpoints. */
    @WithDefault("20000")
    int maxHeld();

    /** Payload bytes held in memory by this instance; past it, deliveries wait in the outbox's queue. */
    @WithDefault("64M")
    io.quarkus.runtime.configuration.MemorySize maxHeldBytes();

    /**
     * Attempts sent and not yet recorded, at most: within it, as many as were recorded in the last second (at least
     * 500), so that a crash resends about a second of deliveries; past it, no attempt starts until recording catches
     * up.
     */
    @WithDefault("5000")
    int recordingBacklog();

    /** An endpoint that has failed every attempt this long becomes {@code auto_disabled}. */
    @WithDefault("5d")
    Duration autoDisableAfter();

    /**
     * How often the owner of endpoints looks at the whole queue of its endpoints. It learns of queued deliveries from
     * the signals of other instances and of its own writes; this is the net under missed signals.
     */
    @WithDefault("5s")
    Duration resyncInterval();

    @WithDefault("200")
    int claimBatchSize();

    /** How much of an endpoint's answer body is kept with the attempt. */
    @WithDefault("4096")
    int responseBodyLimit();

    /**
     * The operator's HTTP proxy that every call to a customer's server goes through ({@code http://host:port}, with
     * {@code user:password@} or the two keys below), so that receivers can allow-list its fixed addresses; none: the
     * instances connect directly. The destination is still vetted by the address rules (the proxy is trusted).
     */
    Optional<String> proxy();

    /** The proxy's user name, in place of the one in {@link #proxy()} (from an environment variable, unlike a URL). */
    Optional<String> proxyUsername();

    /** The proxy's password, in place of the one in {@link #proxy()}. */
    Optional<String> proxyPassword();

    Breaker breaker();

    interface Breaker {
        /** Attempts in the rolling window of the per-endpoint circuit breaker. */
        @WithDefault("20")
        int requestVolume();

        @WithDefault("0.5")
        double failureRatio();

        /** How long the breaker stays open before a trial attempt. */
        @WithDefault("30s")
        Duration delay();

        /** Each failed trial doubles the wait, up to this. */
        @WithDefault("5m")
        Duration maxDelay();
    }
}
