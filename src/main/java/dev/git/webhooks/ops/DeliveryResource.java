package dev.git.webhooks.ops;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.OpsViews.DeliveryView;

/** {@code /v2/deliveries/{id}}: one delivery with every attempt, and redelivering it. */
@Path("/v2/deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    private final DeliveryQueries queries;
    private final Resends resends;
    private final CallerContext caller;

    public DeliveryResource(DeliveryQueries queries, Resends resends, CallerContext caller) {
        this.queries = queries;
        this.resends = resends;
        this.caller = caller;
    }

    @GET
    @Path("/{id}")
    @RequiresScope(Scope.DELIVERIES_READ)
    public DeliveryView get(@PathParam("id") String id) {
        return queries.delivery(caller.owner(), id);
    }

    /** A new delivery of the same event bytes (same {@code webhook-id}) to the same endpoint, sent now. */
    @POST
    @Path("/{id}/redeliver")
    @RequiresScope(Scope.DELIVERIES_REPLAY)
    public Response redeliver(@PathParam("id") String id) {
        return Response.accepted(DeliveryView.of(resends.redeliver(caller.owner(), id))).build();
    }
}
