package dev.git.webhooks.ops.health;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
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
import dev.git.webhooks.api.TimeRange;
import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.common.Names;
import dev.git.webhooks.subscription.WebhookEndpoint;

/** {@code GET /v2/ops/endpoints?owner=&state=}: the health of every owner's endpoints, newest first. */
@Path("/v2/ops/endpoints")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
public class OpsEndpointsResource {

    private final EndpointLists lists;
    private final HealthQueries health;

    public OpsEndpointsResource(EndpointLists lists, HealthQueries health) {
        this.lists = lists;
        this.health = health;
    }

    @GET
    @RequiresScope(value = Scope.OPS_READ, operator = Scope.OPS_READ)
    public Page<EndpointHealth> list(@QueryParam("owner") String owner,
            @Parameter(description = "Only endpoints in this state: failing is enabled, not paused, with every "
                    + "attempt failing; inactive paused.", schema = @Schema(type = SchemaType.STRING,
                            enumeration = { "enabled", "disabled", "auto_disabled", "failing", "inactive" }))
            @QueryParam("state") String state,
            @Parameter(description = "Only endpoints created at or after this time (RFC 3339).")
            @QueryParam("since") String since,
            @Parameter(description = "Only endpoints created before this time (RFC 3339).")
            @QueryParam("until") String until,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.parse(limit, cursor);
        FieldChecks checks = new FieldChecks();
        checks.check(owner == null || owner.isBlank() || Names.isOwner(owner), "owner", Names.OWNER_RULE);
        EndpointLists.checkState(state, checks);
        TimeRange created = TimeRange.parse(since, until, checks);
        checks.throwIfAny();
        List<WebhookEndpoint> rows = lists.list(owner == null || owner.isBlank() ? null : owner, state, created,
                page);
        Page<WebhookEndpoint> endpoints = Page.of(rows, page, e -> e.seq, e -> e);
        return new Page<>(health.of(endpoints.data()), endpoints.pagination());
    }
}
