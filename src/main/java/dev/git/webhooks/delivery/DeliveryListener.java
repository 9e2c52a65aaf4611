package dev.git.webhooks.delivery;

import java.util.List;

import dev.git.webhooks.outbox.Outcome;

/**
 * How the rest of the service observes deliveries (metrics, endpoint health), in the style of a
 * transactional outbox's listener: told about each attempt as it ends, and about each batch once it is recorded.
 * Implementations are CDI beans; they must not throw and must not call back into the delivery engine. What must
 * commit with a failure (its notice) is not written here but in its transaction: see
 * {@code outbox.DeliveriesFailed}.
 */
public interface DeliveryListener {

    /** An attempt ended (not yet recorded). Runs on the HTTP client's thread: keep it short. */
    default void attempted(Outcome outcome) {
    }

    /** These outcomes are committed (outcomes whose claim had passed to another instance are not among them). */
    default void recorded(List<Outcome> outcomes) {
    }
}
