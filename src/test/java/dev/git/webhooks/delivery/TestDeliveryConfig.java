package dev.git.webhooks.delivery;

import java.time.Duration;
import java.util.List;

import io.quarkus.runtime.configuration.MemorySize;

/** Delivery settings for unit tests: the defaults, small where a test needs to reach a limit. */
class TestDeliveryConfig implements DeliveryConfig {

    int cap = 2;
    int depth = 3;
    int maxHeld = 100;
    long maxHeldBytes = 1 << 20;
    int recordingBacklog = 10;
    int volume = 4;
    double ratio = 0.5;
    Duration breakerDelay = Duration.ofSeconds(30);
    Duration breakerMaxDelay = Duration.ofMinutes(2);
    Duration resyncInterval = Duration.ofSeconds(5);

    @Override
    public Duration timeout() {
        return Duration.ofSeconds(10);
    }

    @Override
    public Duration connectTimeout() {
        return Duration.ofSeconds(5);
    }

    @Override
    public List<Duration> retrySchedule() {
        return List.of(Duration.ofSeconds(5), Duration.ofMinutes(5));
    }

    @Override
    public double retryJitter() {
        return 0;
    }

    @Override
    public Duration retryAfterCap() {
        return Duration.ofHours(1);
    }

    @Override
    public int maxInFlightPerEndpoint() {
        return cap;
    }

    @Override
    public int laneDepth() {
        return depth;
    }

    @Override
    public int maxHeld() {
        return maxHeld;
    }

    @Override
    public MemorySize maxHeldBytes() {
        return new MemorySize(java.math.BigInteger.valueOf(maxHeldBytes));
    }

    @Override
    public int recordingBacklog() {
        return recordingBacklog;
    }

    @Override
    public Duration autoDisableAfter() {
        return Duration.ofDays(5);
    }

    @Override
    public Duration resyncInterval() {
        return resyncInterval;
    }

    @Override
    public int claimBatchSize() {
        return 50;
    }

    @Override
    public int responseBodyLimit() {
        return 4096;
    }

    @Override
    public Breaker breaker() {
        return new Breaker() {
            @Override
            public int requestVolume() {
                return volume;
            }

            @Override
            public double failureRatio() {
                return ratio;
            }

            @Override
            public Duration delay() {
                return breakerDelay;
            }

            @Override
            public Duration maxDelay() {
                return breakerMaxDelay;
            }
        };
    }

    @Override
    public java.util.Optional<String> proxy() {
        return java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<String> proxyUsername() {
        return java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<String> proxyPassword() {
        return java.util.Optional.empty();
    }
}
