package dev.git.webhooks.ops;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.api.docs.ApiDocument;
import dev.git.webhooks.ops.OpsViews.DeliveryView;
import dev.git.webhooks.ops.access.Owners;
import dev.git.webhooks.ops.audit.Audited;

/** {@code /v2/deliveries/{id}}: one delivery with every attempt, and redelivering it. */
@Path("/v2/deliveries")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Deliveries")
public class DeliveryResource {

    private final DeliveryQueries queries;
    private final Resends resends;
    private final Owners owners;

    public DeliveryResource(DeliveryQueries queries, Resends resends, Owners owners) {
        this.queries = queries;
        this.resends = resends;
        this.owners = owners;
    }

    @GET
    @Path("/{id}")
    @RequiresScope(value = Scope.DELIVERIES_READ, operator = Scope.OPS_READ)
    public DeliveryView get(@PathParam("id") String id) {
        return queries.delivery(owners.ofDelivery(id), id);
    }

    /**
     * A new delivery of the same event bytes (same {@code webhook-id}) to the same endpoint, sent now; for a pending
     * delivery, "try now": its next attempt is made at once, no copy.
     */
    @POST
    @Audited("delivery.redeliver")
    @Path("/{id}/redeliver")
    @RequiresScope(value = Scope.DELIVERIES_REPLAY, operator = Scope.OPS_REPLAY)
    @APIResponse(responseCode = "202", description = "The new delivery; for a pending one, the same delivery, "
            + "its next attempt due now.",
            content = @Content(schema = @Schema(implementation = DeliveryView.class)))
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public Response redeliver(@PathParam("id") String id) {
        return Response.accepted(DeliveryView.of(resends.redeliver(owners.ofDelivery(id), id))).build();
    }
}
