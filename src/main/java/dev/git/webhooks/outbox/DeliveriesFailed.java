package dev.git.webhooks.outbox;

import java.util.List;

/**
 * Deliveries that have just failed for good, announced synchronously inside the transaction that failed them: the
 * recording of a last attempt ({@link AttemptLog#record}) and an endpoint's stop
 * ({@link DeliveryChanges#failPending}). An observer writes on the same connection and in the same transaction, so
 * that what it writes (the owner's {@code delivery.exhausted}) commits with the failure or not at all; an observer
 * that throws rolls the failure back. A delivery fails for good once (both statements only change a pending one),
 * so it is announced once per committed failure.
 */
public record DeliveriesFailed(List<String> deliveryIds) {
}
