package dev.git.webhooks.ops.console.delivery;

import java.util.List;

import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.DeliveryQueries;
import dev.git.webhooks.ops.OpsViews.DeliveryView;
import dev.git.webhooks.ops.OpsViews.EventView;
import dev.git.webhooks.ops.Resends;
import dev.git.webhooks.ops.access.Owners;
import dev.git.webhooks.ops.audit.Audited;
import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.ops.console.Done;
import dev.git.webhooks.ops.console.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * One delivery with every attempt as sent and answered, and redeliver (offered only on a delivered or failed
 * delivery: a pending one is still being retried, a replayed one has a copy to follow instead).
 */
@Path("/console/deliveries")
public class DeliveryPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance delivery(Chrome chrome, DeliveryRow row, EventView event);
    }

    private final Pages pages;
    private final DeliveryQueries queries;
    private final Resends resends;
    private final DeliveryRows rows;
    private final Owners owners;

    public DeliveryPage(Pages pages, DeliveryQueries queries, Resends resends, DeliveryRows rows, Owners owners) {
        this.pages = pages;
        this.queries = queries;
        this.resends = resends;
        this.rows = rows;
        this.owners = owners;
    }

    @GET
    @Path("/{id}")
    public Response show(@PathParam("id") String id, @QueryParam("notice") String notice) {
        return pages.page(() -> {
            pages.require(Scope.DELIVERIES_READ, Scope.OPS_READ);
            String owner = owners.ofDelivery(id);
            DeliveryView delivery = queries.delivery(owner, id);
            return Templates.delivery(pages.chrome("Delivery " + id, "deliveries", notice), rows.of(List.of(delivery))
                    .get(0), queries.event(owner, delivery.eventId()));
        });
    }

    @POST
    @Path("/{id}/redeliver")
    @Audited("delivery.redeliver")
    public Response redeliver(@PathParam("id") String id, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.require(Scope.DELIVERIES_REPLAY, Scope.OPS_REPLAY);
            String copy = resends.redeliver(owners.ofDelivery(id), id).id;
            if (copy.equals(id)) { // a pending one: tried now, not copied
                return Done.accepted("/console/deliveries/" + id + "?notice=tried-now", "Next attempt due now");
            }
            return Done.accepted("/console/deliveries/" + copy + "?notice=redelivered", "Redelivered as " + copy);
        });
    }
}
