package dev.git.webhooks.ops;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.access.Owners;
import dev.git.webhooks.ops.audit.Audited;
import dev.git.webhooks.subscription.WebhookView;

/**
 * {@code POST /v2/webhooks/{id}/disable}: stops deliveries to an endpoint ({@code disabled}, reason {@code operator}
 * or {@code owner}); its pending deliveries fail and stay replayable. {@code enable} undoes it.
 */
@Path("/v2/webhooks/{id}/disable")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks")
public class DisableResource {

    private final EndpointEnabling enabling;
    private final CallerContext caller;
    private final Owners owners;

    public DisableResource(EndpointEnabling enabling, CallerContext caller, Owners owners) {
        this.enabling = enabling;
        this.caller = caller;
        this.owners = owners;
    }

    @POST
    @Audited("webhook.disable")
    @RequiresScope(value = Scope.WEBHOOKS_WRITE, operator = Scope.OPS_REPLAY)
    public WebhookView disable(@PathParam("id") String id) {
        String reason = caller.operator() ? "operator" : "owner";
        return WebhookView.of(enabling.disable(owners.ofEndpoint(id), id, reason).endpoint());
    }
}
