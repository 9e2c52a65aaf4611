package dev.git.webhooks.ops.console.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.delivery.DeliveryConfig;
import dev.git.webhooks.ops.access.Owners;
import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.ops.console.Pages;
import dev.git.webhooks.ops.console.Problems;
import dev.git.webhooks.ops.health.EndpointLists;
import dev.git.webhooks.ops.health.EndpointStatus;
import dev.git.webhooks.ops.health.HealthQueries;
import dev.git.webhooks.outbox.ActivityViews.Attempt;
import dev.git.webhooks.subscription.WebhookEndpoint;
import dev.git.webhooks.subscription.WebhookEndpoints;
import dev.git.webhooks.subscription.WebhookView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * {@code /console/endpoints}: every endpoint with its health in words, and one endpoint's page: what it is, how it
 * is doing (the verdict, the last 24 hours as a chart, its latest attempts) and what can be done to it. Customers
 * and operators see the same page; the actions shown are those the signed-in key can take.
 */
@Path("/console/endpoints")
public class EndpointPages {

    /** The list's filters as typed. */
    public record Filter(String owner, String state) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance endpoints(Chrome chrome, List<EndpointStatus> rows, Filter filter,
                String next, Problems problems);

        static native TemplateInstance endpoint(Chrome chrome, EndpointStatus e, HealthChart chart,
                List<Attempt> attempts, WebhookView c, int defaultConcurrency);
    }

    private static final int HOURS = 24;

    private final Pages pages;
    private final EndpointLists lists;
    private final HealthQueries health;
    private final Owners owners;
    private final CallerContext caller;
    private final Clock clock;
    private final WebhookEndpoints endpoints;
    private final int defaultConcurrency;

    public EndpointPages(Pages pages, EndpointLists lists, HealthQueries health, Owners owners, CallerContext caller,
            Clock clock, WebhookEndpoints endpoints, DeliveryConfig delivery) {
        this.endpoints = endpoints;
        this.defaultConcurrency = delivery.maxInFlightPerEndpoint();
        this.pages = pages;
        this.lists = lists;
        this.health = health;
        this.owners = owners;
        this.caller = caller;
        this.clock = clock;
    }

    @GET
    public Response list(@QueryParam("owner") String owner, @QueryParam("state") String state,
            @QueryParam("cursor") String cursor, @QueryParam("notice") String notice) {
        Filter filter = new Filter(caller.operator() ? owner : null, state);
        return pages.page(() -> {
            pages.require(Scope.WEBHOOKS_READ, Scope.OPS_READ);
            FieldChecks checks = new FieldChecks();
            EndpointLists.checkState(state, checks);
            checks.throwIfAny();
            PageRequest page = PageRequest.parse(null, cursor);
            Page<WebhookEndpoint> found = Page.of(lists.list(caller.ownerFilter(owner), state, page), page,
                    e -> e.seq, e -> e);
            return Templates.endpoints(pages.chrome("Endpoints", "endpoints", notice), health.statusOf(found.data()),
                    filter, found.pagination().nextCursor(), Problems.NONE);
        }, problems -> Templates.endpoints(pages.chrome("Endpoints", "endpoints", null), List.of(), filter, null,
                problems));
    }

    @GET
    @Path("/{id}")
    public Response show(@PathParam("id") String id, @QueryParam("notice") String notice) {
        return pages.page(() -> {
            pages.require(Scope.WEBHOOKS_READ, Scope.OPS_READ);
            String owner = owners.ofEndpoint(id);
            EndpointStatus endpoint = health.statusOf(owner, id);
            WebhookView controls = WebhookView.of(endpoints.get(owner, id));
            Instant from = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(HOURS - 1));
            HealthChart chart = HealthChart.of(health.hourly(id, from), from, HOURS);
            return Templates.endpoint(pages.chrome(endpoint.label(), "endpoints", notice), endpoint, chart,
                    health.latestAttempts(id, 20), controls, defaultConcurrency);
        });
    }
}
