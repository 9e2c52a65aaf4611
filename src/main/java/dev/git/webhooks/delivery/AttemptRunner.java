package dev.git.webhooks.delivery;

import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.git.webhooks.delivery.auth.Authorization;
import dev.git.webhooks.outbox.AttemptResult;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.Outcome;
import dev.git.webhooks.subscription.address.DestinationPolicy;
import dev.git.webhooks.subscription.address.DestinationRefusedException;
import dev.git.webhooks.tracing.SpanLogs;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.arc.All;
import io.quarkus.arc.ClientProxy;

/**
 * One attempt of one delivery, from start to end: prepare (check the destination again, since DNS can change; the
 * lookup runs off this thread, bounded by its timeout), sign, authenticate (bearer token, client certificate), send,
 * decide what the answer means, record.
 * Completes with the outcome, never exceptionally; the engine records it. Every line it logs about the attempt, and
 * the engine's writer's lines about its outcome, carry the attempt span's trace and span ids ({@link SpanLogs}).
 */
@ApplicationScoped
public class AttemptRunner {

    private static final Logger LOG = Logger.getLogger(AttemptRunner.class);

    private final DestinationPolicy destinations;
    private final Signer signer;
    private final Outcomes outcomes;
    private final List<DeliveryListener> listeners;
    private final Clock clock;
    private final AttemptSpans spans;
    private final EndpointCalls calls;
    private final int bodyLimit;
    private final Duration timeout;

    /** An attempt's outcome and the span it ran in (invalid when tracing is off). */
    public record Attempted(Outcome outcome, SpanContext span) {
    }

    public AttemptRunner(DestinationPolicy destinations, Signer signer, DeliveryConfig config,
            @All List<DeliveryListener> listeners, Clock clock, AttemptSpans spans, EndpointCalls calls) {
        // the beans themselves, not their client proxies: each call through a proxy looks the instance up again
        this.destinations = ClientProxy.unwrap(destinations);
        this.signer = ClientProxy.unwrap(signer);
        this.listeners = listeners.stream().map(ClientProxy::unwrap).toList();
        this.clock = clock;
        this.spans = spans;
        this.calls = ClientProxy.unwrap(calls);
        this.bodyLimit = config.responseBodyLimit();
        this.timeout = config.timeout();
        this.outcomes = new Outcomes(new RetryPolicy(config.retrySchedule(), config.retryJitter(),
                config.retryAfterCap(), RandomGenerator.getDefault()));
    }

    public CompletionStage<Attempted> run(DeliveryJob job) {
        Span span = spans.start(job);
        SpanContext ids = span.getSpanContext();
        CompletionStage<Prepared> prepared;
        try {
            prepared = prepare(job);
        } catch (RuntimeException e) {
            prepared = CompletableFuture.failedFuture(e);
        }
        return prepared
                .thenCompose(this::send)
                .exceptionally(e -> internalError(job, ids, e))
                .thenApply(result -> Authorization.redacted(job, signer.redacted(job, result)))
                .thenApply(result -> decide(job, ids, result))
                .thenApply(outcome -> new Attempted(traced(span, outcome), ids));
    }

    /**
     * The headers, signed, and the address to connect to (or why the destination is refused). Never blocks: names
     * resolve on the destination policy's own threads, each lookup bounded by {@code webhooks.delivery.dns-timeout}.
     */
    private CompletionStage<Prepared> prepare(DeliveryJob job) {
        Instant now = clock.instant();
        long startNanos = System.nanoTime();
        Map<String, String> headers = signer.headers(job, now);
        URI url;
        try {
            url = destinations.parse(job.target().url());
        } catch (DestinationRefusedException e) {
            return CompletableFuture.completedFuture(refused(job, headers, now, startNanos, e));
        }
        return destinations.resolve(url).handle((address, error) -> {
            if (error == null) {
                return new Prepared(job, url, address, headers, null);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            DestinationRefusedException refusal = cause instanceof DestinationRefusedException r ? r
                    : new DestinationRefusedException("dns_failure", String.valueOf(cause.getMessage()));
            return refused(job, headers, now, startNanos, refusal);
        });
    }

    /** {@code dns_timeout} and {@code dns_failure} are error classes of their own; every other refusal is one. */
    private static Prepared refused(DeliveryJob job, Map<String, String> headers, Instant now, long startNanos,
            DestinationRefusedException e) {
        String errorClass = e.reason().startsWith("dns_") ? e.reason() : "destination_refused";
        return new Prepared(job, null, null, headers, AttemptResult.error(now,
                (System.nanoTime() - startNanos) / 1_000_000, headers, errorClass, e.reason() + ": " + e.getMessage()));
    }

    /** Sends as the endpoint asks to be called ({@link EndpointCalls}: client certificate, bearer token). */
    private CompletionStage<AttemptResult> send(Prepared prepared) {
        if (prepared.refused() != null) {
            return CompletableFuture.completedFuture(prepared.refused());
        }
        return calls.post(prepared.job(), prepared.url(), prepared.address(), prepared.headers(),
                prepared.job().payload(), bodyLimit, timeout);
    }

    private Outcome decide(DeliveryJob job, SpanContext ids, AttemptResult result) {
        Outcome outcome = outcomes.decide(job, result, clock.instant());
        if (LOG.isDebugEnabled()) {
            SpanLogs.log(ids, () -> LOG.debugf("Attempt %d of %s: %s, %s", job.attempt(), job.deliveryId(),
                    result.summary(), outcome.retrying() ? "next at " + outcome.nextAttemptAt()
                            : outcome.status().value()));
        }
        for (DeliveryListener listener : listeners) {
            try {
                listener.attempted(outcome);
            } catch (RuntimeException e) {
                SpanLogs.log(ids, () -> LOG.debugf(e, "Listener %s failed", listener));
            }
        }
        return outcome;
    }

    /** Tracing only: whatever goes wrong here must not change the attempt. */
    private Outcome traced(Span span, Outcome outcome) {
        try {
            spans.end(span, outcome);
        } catch (RuntimeException e) {
            SpanLogs.log(span.getSpanContext(),
                    () -> LOG.debugf(e, "Could not end the span of %s", outcome.job().deliveryId()));
        }
        return outcome;
    }

    private AttemptResult internalError(DeliveryJob job, SpanContext ids, Throwable e) {
        SpanLogs.log(ids, () -> LOG.warnf(e, "Attempt of %s could not be made", job.deliveryId()));
        return AttemptResult.error(clock.instant(), 0, Map.of(), "internal_error", "attempt not made");
    }

    private record Prepared(DeliveryJob job, URI url, InetAddress address, Map<String, String> headers,
            AttemptResult refused) {
    }
}
