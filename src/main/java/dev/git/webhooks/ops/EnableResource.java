package dev.git.webhooks.ops;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.OpsViews.ReplayView;
import dev.git.webhooks.subscription.WebhookView;

/**
 * {@code POST /v2/webhooks/{id}/enable}: an auto-disabled endpoint takes deliveries again; with
 * {@code {"replay_failed": true}} its failed deliveries are replayed as well (that needs {@code deliveries:replay}).
 */
@Path("/v2/webhooks/{id}/enable")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EnableResource {

    /** The endpoint, and the replay of its failed deliveries when one was asked for. */
    public record Enabled(WebhookView webhook, ReplayView replay) {
    }

    private final EndpointEnabling enabling;
    private final CallerContext caller;

    public EnableResource(EndpointEnabling enabling, CallerContext caller) {
        this.enabling = enabling;
        this.caller = caller;
    }

    @POST
    @RequiresScope(Scope.WEBHOOKS_WRITE)
    public Enabled enable(@PathParam("id") String id, JsonNode body) {
        boolean replayFailed = false;
        if (body != null && !body.isNull()) {
            if (!body.isObject()) {
                throw ApiException.invalid("body", "must be a JSON object");
            }
            body.fieldNames().forEachRemaining(f -> {
                if (!f.equals("replay_failed")) {
                    throw ApiException.invalid(f, "is not a known field");
                }
            });
            JsonNode flag = body.get("replay_failed");
            if (flag != null && !flag.isNull() && !flag.isBoolean()) {
                throw ApiException.invalid("replay_failed", "must be true or false");
            }
            replayFailed = flag != null && flag.asBoolean();
        }
        if (replayFailed && !caller.caller().scopes().contains(Scope.DELIVERIES_REPLAY)) {
            throw new ApiException(403, "insufficient_scope", "replay_failed needs the scope deliveries:replay.",
                    java.util.Map.of("required_scope", Scope.DELIVERIES_REPLAY.value()));
        }
        return enabling.enable(caller.owner(), id, replayFailed);
    }
}
