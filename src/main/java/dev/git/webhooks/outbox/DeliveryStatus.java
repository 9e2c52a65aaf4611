package dev.git.webhooks.outbox;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a delivery stands. {@code PENDING} until an attempt succeeds ({@code DELIVERED}) or the last one failed
 * ({@code FAILED}); a failed delivery that was sent again as a copy is {@code REPLAYED}.
 */
public enum DeliveryStatus {
    PENDING, DELIVERED, FAILED, REPLAYED;

    /** The value stored and shown: {@code pending}, {@code delivered}, … */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DeliveryStatus> parse(String value) {
        for (DeliveryStatus status : values()) {
            if (status.value().equals(value)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value();
    }
}
