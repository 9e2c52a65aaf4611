package dev.git.webhooks.ops;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.OpsViews.DeliveryView;
import dev.git.webhooks.ops.access.Owners;

/** {@code GET /v2/webhooks/{id}/deliveries?status=&event=&since=&until=&limit=&cursor=}, newest first. */
@Path("/v2/webhooks/{id}/deliveries")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Deliveries")
public class EndpointDeliveriesResource {

    private final DeliveryQueries queries;
    private final Owners owners;

    public EndpointDeliveriesResource(DeliveryQueries queries, Owners owners) {
        this.queries = queries;
        this.owners = owners;
    }

    @GET
    @RequiresScope(value = Scope.DELIVERIES_READ, operator = Scope.OPS_READ)
    public Page<DeliveryView> list(@PathParam("id") String id,
            @Parameter(description = "Only deliveries in this status.", schema = @Schema(type = SchemaType.STRING,
                    enumeration = { "pending", "delivered", "failed", "replayed" }))
            @QueryParam("status") String status,
            @QueryParam("event") List<String> events, @QueryParam("since") String since,
            @QueryParam("until") String until, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.parse(limit, cursor);
        FieldChecks checks = new FieldChecks();
        DeliveryFilter filter = DeliveryFilter.parse(status, events, since, until, checks);
        checks.throwIfAny();
        return Page.of(queries.list(owners.ofEndpoint(id), id, filter, page), page, d -> d.seq, DeliveryView::of);
    }
}
