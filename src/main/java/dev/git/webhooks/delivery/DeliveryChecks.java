package dev.git.webhooks.delivery;

import jakarta.enterprise.context.ApplicationScoped;

import dev.git.webhooks.common.SettingsCheck;
import dev.git.webhooks.common.SettingsProblems;
import dev.git.webhooks.delivery.http.EgressProxy;

/** The delivery keys, checked at startup: timeouts and caps positive, a schedule, ratios in range. */
@ApplicationScoped
public class DeliveryChecks implements SettingsCheck {

    private static final String P = "webhooks.delivery.";

    private final DeliveryConfig config;

    public DeliveryChecks(DeliveryConfig config) {
        this.config = config;
    }

    @Override
    public void check(SettingsProblems problems) {
        problems.general("webhooks.delivery", DeliveryConfig.class, config);
        problems.positive(P + "timeout", config.timeout());
        problems.positive(P + "connect-timeout", config.connectTimeout());
        problems.check(config.connectTimeout().toMillis() <= Integer.MAX_VALUE, P + "connect-timeout",
                "must be shorter than " + Integer.MAX_VALUE + " ms");
        EgressProxy.problem(config).ifPresent(problem -> problems.add(P + "proxy", problem));
        problems.positive(P + "resync-interval", config.resyncInterval());
        problems.positive(P + "auto-disable-after", config.autoDisableAfter());
        problems.positive(P + "max-in-flight-per-endpoint", config.maxInFlightPerEndpoint());
        problems.positive(P + "lane-depth", config.laneDepth());
        problems.positive(P + "max-held", config.maxHeld());
        problems.positive(P + "max-held-bytes", config.maxHeldBytes().asLongValue());
        problems.positive(P + "recording-backlog", config.recordingBacklog());
        problems.positive(P + "claim-batch-size", config.claimBatchSize());
        problems.check(config.retryJitter() >= 0 && config.retryJitter() < 1, P + "retry-jitter",
                "must be from 0 up to (not including) 1, not " + config.retryJitter());
        problems.positive(P + "breaker.request-volume", config.breaker().requestVolume());
        problems.check(config.breaker().failureRatio() > 0 && config.breaker().failureRatio() <= 1,
                P + "breaker.failure-ratio", "must be above 0 and at most 1, not " + config.breaker().failureRatio());
        problems.positive(P + "breaker.delay", config.breaker().delay());
        problems.check(config.breaker().maxDelay().compareTo(config.breaker().delay()) >= 0, P + "breaker.max-delay",
                "must not be shorter than " + P + "breaker.delay (" + config.breaker().delay() + ")");
    }
}
