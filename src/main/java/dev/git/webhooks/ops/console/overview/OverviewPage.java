package dev.git.webhooks.ops.console.overview;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.git.webhooks.ops.console.Pages;
import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.health.EndpointStatus;
import dev.git.webhooks.ops.health.EndpointLists;
import dev.git.webhooks.ops.health.HealthQueries;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** {@code /console}: the figures that say whether deliveries are healthy, and the ten worst endpoints. */
@Path("/console")
public class OverviewPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance overview(Chrome chrome, Overview.Figures figures, List<EndpointStatus> worst);
    }

    private final Pages pages;
    private final Overview overview;
    private final EndpointLists endpoints;
    private final HealthQueries health;
    private final CallerContext caller;

    public OverviewPage(Pages pages, Overview overview, EndpointLists endpoints, HealthQueries health,
            CallerContext caller) {
        this.pages = pages;
        this.overview = overview;
        this.endpoints = endpoints;
        this.health = health;
        this.caller = caller;
    }

    /** Any other {@code /console/…} address: the console's own 404 page, not the API's JSON. */
    @GET
    @Path("/{rest: .+}")
    public Response missing() {
        return pages.error(404, "Not found", "There is no console page at this address.");
    }

    @GET
    public Response show(@QueryParam("notice") String notice) {
        return pages.page(() -> {
            pages.require(Scope.DELIVERIES_READ, Scope.OPS_READ);
            String owner = caller.ownerFilter(null);
            return Templates.overview(pages.chrome("Overview", "overview", notice), overview.figures(owner),
                    health.statusOf(endpoints.worst(owner, 10)));
        });
    }
}
