package dev.git.webhooks.ops;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.common.Names;
import dev.git.webhooks.ops.OpsViews.EventSummary;
import dev.git.webhooks.ops.OpsViews.EventView;
import dev.git.webhooks.ops.access.Owners;

/**
 * {@code GET /v2/events?type=&repo=&since=&until=}: the owner's events, newest first; {@code GET /v2/events/{id}}: the
 * event as the producer wrote it, and its deliveries.
 */
@Path("/v2/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Deliveries")
public class EventResource {

    private final DeliveryQueries queries;
    private final Owners owners;
    private final CallerContext caller;

    public EventResource(DeliveryQueries queries, Owners owners, CallerContext caller) {
        this.queries = queries;
        this.owners = owners;
        this.caller = caller;
    }

    /**
     * The owner's events, newest first, those no endpoint took included (kept as long as their deliveries); an
     * operator's key sees every owner's, or those of {@code ?owner=}. {@code since} and {@code until} bound the time
     * each was received.
     */
    @GET
    @RequiresScope(value = Scope.DELIVERIES_READ, operator = Scope.OPS_READ)
    public Page<EventSummary> list(@QueryParam("owner") String owner, @QueryParam("type") List<String> types,
            @Parameter(description = "Only events of this repository (owner/name).") @QueryParam("repo") String repo,
            @QueryParam("since") String since, @QueryParam("until") String until, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.parse(limit, cursor);
        FieldChecks checks = new FieldChecks();
        DeliveryFilter filter = DeliveryFilter.read(null, types, "type", since, until, checks);
        checks.check(repo == null || Names.isRepo(repo), "repo", Names.REPO_RULE);
        checks.throwIfAny();
        return Page.of(queries.events(caller.ownerFilter(owner), filter, repo, page), page, e -> e.seq,
                EventSummary::of);
    }

    @GET
    @Path("/{id}")
    @RequiresScope(value = Scope.DELIVERIES_READ, operator = Scope.OPS_READ)
    public EventView get(@PathParam("id") String id) {
        return queries.event(owners.ofEvent(id), id);
    }
}
