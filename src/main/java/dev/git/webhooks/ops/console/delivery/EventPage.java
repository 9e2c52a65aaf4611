package dev.git.webhooks.ops.console.delivery;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.DeliveryQueries;
import dev.git.webhooks.ops.OpsViews.EventView;
import dev.git.webhooks.ops.access.Owners;
import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.ops.console.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** {@code /console/events/{id}}: one event as the producer wrote it, and what became of it at each endpoint. */
@Path("/console/events")
public class EventPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance event(Chrome chrome, EventView event, List<DeliveryRow> rows);
    }

    private final Pages pages;
    private final DeliveryQueries queries;
    private final DeliveryRows rows;
    private final Owners owners;

    public EventPage(Pages pages, DeliveryQueries queries, DeliveryRows rows, Owners owners) {
        this.pages = pages;
        this.queries = queries;
        this.rows = rows;
        this.owners = owners;
    }

    @GET
    @Path("/{id}")
    public Response event(@PathParam("id") String id) {
        return pages.page(() -> {
            pages.require(Scope.DELIVERIES_READ, Scope.OPS_READ);
            EventView event = queries.event(owners.ofEvent(id), id);
            return Templates.event(pages.chrome("Event " + id, "deliveries", null), event,
                    rows.of(event.deliveries()));
        });
    }
}
