package dev.git.webhooks.ops.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.git.webhooks.common.Refusal;
import dev.git.webhooks.ops.OpsConfig;
import dev.git.webhooks.outbox.ActivityViews;
import dev.git.webhooks.outbox.ActivityViews.Activity;
import dev.git.webhooks.outbox.ActivityViews.Attempt;
import dev.git.webhooks.outbox.ActivityViews.Bucket;
import dev.git.webhooks.outbox.OutboxViews;
import dev.git.webhooks.outbox.OutboxViews.EndpointFigures;
import dev.git.webhooks.subscription.WebhookEndpoint;

/**
 * Health figures of a page of endpoints. Attempts, the success ratio and the last error come from the endpoint's
 * latest attempts ({@link ActivityViews}: its newest {@code webhooks.ops.health-sample} deliveries and up to
 * {@code health-pending-sample} of its pending ones that were tried already), so that an endpoint whose newest
 * deliveries wait untried behind an open breaker still shows the attempts that failed. The p95 from event to 2xx
 * and the queue come from {@link OutboxViews#endpointFigures}. Each set is bounded, so the cost per endpoint is
 * too, however old and busy it is.
 */
@ApplicationScoped
public class HealthQueries {

    static final Duration WINDOW = Duration.ofHours(1);

    private final OutboxViews views;
    private final ActivityViews activities;
    private final Breakers breakers;
    private final OpsConfig config;
    private final Clock clock;

    public HealthQueries(OutboxViews views, ActivityViews activities, Breakers breakers, OpsConfig config,
            Clock clock) {
        this.views = views;
        this.activities = activities;
        this.breakers = breakers;
        this.config = config;
        this.clock = clock;
    }

    /** The health of these endpoints, in their order (the API's view). */
    @Transactional
    public List<EndpointHealth> of(List<WebhookEndpoint> endpoints) {
        if (endpoints.isEmpty()) {
            return List.of();
        }
        List<String> ids = endpoints.stream().map(e -> e.id).toList();
        Map<String, EndpointFigures> figures = views.endpointFigures(ids, config.healthSample(),
                clock.instant().minus(WINDOW));
        Map<String, Activity> activity = activity(ids);
        return endpoints.stream().map(e -> health(e, figures.get(e.id), activity.get(e.id))).toList();
    }

    /** These endpoints as the console shows them, in their order. */
    @Transactional
    public List<EndpointStatus> statusOf(List<WebhookEndpoint> endpoints) {
        Map<String, Activity> activity = activity(endpoints.stream().map(e -> e.id).toList());
        return endpoints.stream().map(e -> EndpointStatus.of(e, breakers.state(e.id), activity.get(e.id),
                clock.instant())).toList();
    }

    /** One endpoint of {@code owner} as the console shows it; 404 when it is not the owner's. */
    @Transactional
    public EndpointStatus statusOf(String owner, String id) {
        WebhookEndpoint endpoint = WebhookEndpoint.findOwned(owner, id);
        if (endpoint == null) {
            throw Refusal.notFound("webhook", id);
        }
        return statusOf(List.of(endpoint)).get(0);
    }

    /** The latest attempts of an endpoint, newest first. */
    @Transactional
    public List<Attempt> latestAttempts(String id, int limit) {
        return activities.latest(id, config.healthSample(), config.healthPendingSample(), limit);
    }

    /**
     * An endpoint's attempts since {@code from}, hour by hour, from its newest {@code chart-sample} deliveries; when
     * those began after {@code from}, {@code coveredFrom} says since when the figures are complete.
     */
    public record Hourly(List<Bucket> buckets, Instant coveredFrom) {
    }

    @Transactional
    public Hourly hourly(String id, Instant from) {
        Instant start = activities.sampleStart(id, config.chartSample());
        return new Hourly(activities.buckets(id, config.chartSample(), config.healthPendingSample(), from,
                Duration.ofHours(1)), start != null && start.isAfter(from) ? start : null);
    }

    private Map<String, Activity> activity(List<String> ids) {
        return activities.activity(ids, config.healthSample(), config.healthPendingSample(),
                clock.instant().minus(WINDOW));
    }

    private EndpointHealth health(WebhookEndpoint e, EndpointFigures f, Activity a) {
        Double ratio = a.attempts() == 0 ? null : (double) a.successes() / a.attempts();
        return new EndpointHealth(e.id, e.owner, e.url, e.status, e.active, e.disabledReason, e.failingSince,
                breakers.state(e.id), a.attempts(), ratio, f.p95Ms(), a.lastError(), a.lastErrorAt(), f.pending(),
                f.oldestPending());
    }
}
