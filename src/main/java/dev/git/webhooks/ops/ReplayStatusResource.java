package dev.git.webhooks.ops;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.OpsViews.ReplayView;
import dev.git.webhooks.ops.access.Owners;

/** {@code GET /v2/replays/{id}}: a replay's count, progress and state. */
@Path("/v2/replays")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Replays")
public class ReplayStatusResource {

    private final Replays replays;
    private final Owners owners;

    public ReplayStatusResource(Replays replays, Owners owners) {
        this.replays = replays;
        this.owners = owners;
    }

    @GET
    @Path("/{id}")
    @RequiresScope(value = Scope.DELIVERIES_READ, operator = Scope.OPS_READ)
    public ReplayView get(@PathParam("id") String id) {
        return ReplayView.of(replays.get(owners.ofReplay(id), id));
    }
}
