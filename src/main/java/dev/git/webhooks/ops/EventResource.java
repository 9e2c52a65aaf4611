package dev.git.webhooks.ops;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.OpsViews.EventView;
import dev.git.webhooks.ops.access.Owners;

/** {@code GET /v2/events/{id}}: the event as the producer wrote it, and its deliveries. */
@Path("/v2/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Deliveries")
public class EventResource {

    private final DeliveryQueries queries;
    private final Owners owners;

    public EventResource(DeliveryQueries queries, Owners owners) {
        this.queries = queries;
        this.owners = owners;
    }

    @GET
    @Path("/{id}")
    @RequiresScope(value = Scope.DELIVERIES_READ, operator = Scope.OPS_READ)
    public EventView get(@PathParam("id") String id) {
        return queries.event(owners.ofEvent(id), id);
    }
}
