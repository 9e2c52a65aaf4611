package dev.git.webhooks.ops.health;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.git.webhooks.ops.OpsConfig;
import dev.git.webhooks.outbox.OutboxViews;
import dev.git.webhooks.outbox.OutboxViews.EndpointFigures;
import dev.git.webhooks.subscription.WebhookEndpoint;

/**
 * Health figures of a page of endpoints in one statement ({@link OutboxViews#endpointFigures}). Each endpoint's
 * last hour is read from its newest {@code webhooks.ops.health-sample} deliveries (its {@code (endpoint_id, seq)}
 * index), so the cost per endpoint is bounded however old and busy it is. Pending counts what waits in the
 * outbox's queue, not what is in flight.
 */
@ApplicationScoped
public class HealthQueries {

    static final Duration WINDOW = Duration.ofHours(1);

    private final OutboxViews views;
    private final Breakers breakers;
    private final OpsConfig config;
    private final Clock clock;

    public HealthQueries(OutboxViews views, Breakers breakers, OpsConfig config, Clock clock) {
        this.views = views;
        this.breakers = breakers;
        this.config = config;
        this.clock = clock;
    }

    /** The health of these endpoints, in their order. */
    @Transactional
    public List<EndpointHealth> of(List<WebhookEndpoint> endpoints) {
        if (endpoints.isEmpty()) {
            return List.of();
        }
        Map<String, EndpointFigures> figures = views.endpointFigures(endpoints.stream().map(e -> e.id).toList(),
                config.healthSample(), clock.instant().minus(WINDOW));
        return endpoints.stream().map(e -> health(e, figures.get(e.id))).toList();
    }

    private EndpointHealth health(WebhookEndpoint e, EndpointFigures f) {
        Double ratio = f.attempts() == 0 ? null : (double) f.successes() / f.attempts();
        return new EndpointHealth(e.id, e.owner, e.url, e.status, e.active, e.disabledReason, e.failingSince,
                breakers.state(e.id), f.attempts(), ratio, f.p95Ms(), f.lastError(), f.lastErrorAt(), f.pending(),
                f.oldestPending());
    }
}
