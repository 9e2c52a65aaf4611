package dev.git.webhooks.ops.console.endpoint;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.git.webhooks.ops.console.Pages;
import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.EnableResource;
import dev.git.webhooks.ops.EndpointEnabling;
import dev.git.webhooks.ops.access.Owners;
import dev.git.webhooks.ops.audit.Audited;
import dev.git.webhooks.ops.health.EndpointHealth;
import dev.git.webhooks.ops.health.EndpointLists;
import dev.git.webhooks.ops.health.HealthQueries;
import dev.git.webhooks.subscription.WebhookEndpoint;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** {@code /console/endpoints}: endpoint health, and enable, disable, enable-and-replay (as the API's routes). */
@Path("/console/endpoints")
public class EndpointPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance endpoints(Chrome chrome, List<EndpointHealth> rows, String owner,
                String state, String next);
    }

    private final Pages pages;
    private final EndpointLists lists;
    private final HealthQueries health;
    private final EndpointEnabling enabling;
    private final Owners owners;
    private final CallerContext caller;

    public EndpointPages(Pages pages, EndpointLists lists, HealthQueries health, EndpointEnabling enabling,
            Owners owners, CallerContext caller) {
        this.pages = pages;
        this.lists = lists;
        this.health = health;
        this.enabling = enabling;
        this.owners = owners;
        this.caller = caller;
    }

    @GET
    public Response list(@QueryParam("owner") String owner, @QueryParam("state") String state,
            @QueryParam("cursor") String cursor, @QueryParam("notice") String notice) {
        return pages.page(() -> {
            pages.require(Scope.WEBHOOKS_READ, Scope.OPS_READ);
            FieldChecks checks = new FieldChecks();
            EndpointLists.checkState(state, checks);
            checks.throwIfAny();
            PageRequest page = PageRequest.parse(null, cursor);
            Page<WebhookEndpoint> found = Page.of(lists.list(caller.ownerFilter(owner), state, page), page,
                    e -> e.seq, e -> e);
            return Templates.endpoints(pages.chrome("Endpoints", "endpoints", notice, 0), health.of(found.data()),
                    caller.operator() ? owner : null, state, found.pagination().nextCursor());
        });
    }

    @POST
    @Path("/{id}/enable")
    @Audited("webhook.enable")
    public Response enable(@PathParam("id") String id, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.require(Scope.WEBHOOKS_WRITE, Scope.OPS_REPLAY);
            enabling.enable(owners.ofEndpoint(id), id, false);
            return URI.create("/console/endpoints?notice=enabled");
        });
    }

    @POST
    @Path("/{id}/disable")
    @Audited("webhook.disable")
    public Response disable(@PathParam("id") String id, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.require(Scope.WEBHOOKS_WRITE, Scope.OPS_REPLAY);
            enabling.disable(owners.ofEndpoint(id), id, caller.operator() ? "operator" : "owner");
            return URI.create("/console/endpoints?notice=disabled");
        });
    }

    @POST
    @Path("/{id}/enable-and-replay")
    @Audited(EnableResource.ENABLE_AND_REPLAY)
    public Response enableAndReplay(@PathParam("id") String id, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.require(Scope.WEBHOOKS_WRITE, Scope.OPS_REPLAY);
            pages.require(Scope.DELIVERIES_REPLAY, Scope.OPS_REPLAY);
            EnableResource.Enabled enabled = enabling.enable(owners.ofEndpoint(id), id, true);
            return URI.create(enabled.replay() == null ? "/console/endpoints?notice=enabled"
                    : "/console/replays?webhook=" + id + "&notice=replaying");
        });
    }
}
