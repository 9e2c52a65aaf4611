package dev.git.webhooks.ops.console.delivery;

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
import dev.git.webhooks.ops.console.Links;
import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.DeliveryQueries;
import dev.git.webhooks.ops.OpsViews.DeliveryView;
import dev.git.webhooks.ops.OpsViews.EventView;
import dev.git.webhooks.ops.Resends;
import dev.git.webhooks.ops.access.Owners;
import dev.git.webhooks.ops.audit.Audited;
import dev.git.webhooks.ops.search.DeliveryLists;
import dev.git.webhooks.ops.search.DeliverySearch;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * {@code /console/deliveries} (filters as {@code GET /v2/ops/deliveries}), one delivery with every attempt as sent
 * and answered, redeliver; {@code /console/events/{id}} with its deliveries.
 */
@Path("/console")
public class DeliveryPages {

    /** The filter as typed, to fill the form again. */
    @io.quarkus.qute.TemplateData
    public record Filter(String owner, String endpoint, String event, String status, String errorClass,
            String since, String until) {

        String query() {
            java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
            params.put("owner", owner);
            params.put("endpoint", endpoint);
            params.put("event", event);
            params.put("status", status);
            params.put("error_class", errorClass);
            params.put("since", since);
            params.put("until", until);
            return Links.query(params);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance deliveries(Chrome chrome, List<DeliveryView> rows, Filter filter, String next,
                String query);

        static native TemplateInstance delivery(Chrome chrome, DeliveryView d, EventView event);

        static native TemplateInstance event(Chrome chrome, EventView event);
    }

    private final Pages pages;
    private final DeliveryLists lists;
    private final DeliveryQueries queries;
    private final Resends resends;
    private final Owners owners;
    private final CallerContext caller;

    public DeliveryPages(Pages pages, DeliveryLists lists, DeliveryQueries queries, Resends resends, Owners owners,
            CallerContext caller) {
        this.pages = pages;
        this.lists = lists;
        this.queries = queries;
        this.resends = resends;
        this.owners = owners;
        this.caller = caller;
    }

    @GET
    @Path("/deliveries")
    public Response list(@QueryParam("owner") String owner, @QueryParam("endpoint") String endpoint,
            @QueryParam("event") String event, @QueryParam("status") String status,
            @QueryParam("error_class") String errorClass, @QueryParam("since") String since,
            @QueryParam("until") String until, @QueryParam("cursor") String cursor) {
        return pages.page(() -> {
            pages.require(Scope.DELIVERIES_READ, Scope.OPS_READ);
            FieldChecks checks = new FieldChecks();
            DeliverySearch search = DeliverySearch.parse(owner, endpoint, event == null || event.isBlank()
                    ? List.of() : List.of(event), status, errorClass, since, until, checks);
            checks.throwIfAny();
            if (!caller.operator()) {
                search = search.ownedBy(caller.owner());
            }
            PageRequest page = PageRequest.parse(null, cursor);
            Page<DeliveryView> found = Page.of(lists.search(search, page), page, d -> d.seq, DeliveryView::of);
            Filter filter = new Filter(caller.operator() ? owner : null, endpoint, event, status, errorClass, since,
                    until);
            return Templates.deliveries(pages.chrome("Deliveries", "deliveries", null, 0), found.data(), filter,
                    found.pagination().nextCursor(), filter.query());
        });
    }

    @GET
    @Path("/deliveries/{id}")
    public Response show(@PathParam("id") String id, @QueryParam("notice") String notice) {
        return pages.page(() -> {
            pages.require(Scope.DELIVERIES_READ, Scope.OPS_READ);
            String owner = owners.ofDelivery(id);
            DeliveryView delivery = queries.delivery(owner, id);
            return Templates.delivery(pages.chrome("Delivery " + id, "deliveries", notice, 0), delivery,
                    queries.event(owner, delivery.eventId()));
        });
    }

    @POST
    @Path("/deliveries/{id}/redeliver")
    @Audited("delivery.redeliver")
    public Response redeliver(@PathParam("id") String id, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.require(Scope.DELIVERIES_REPLAY, Scope.OPS_REPLAY);
            String copy = resends.redeliver(owners.ofDelivery(id), id).id;
            return URI.create("/console/deliveries/" + copy + "?notice=redelivered");
        });
    }

    @GET
    @Path("/events/{id}")
    public Response event(@PathParam("id") String id) {
        return pages.page(() -> {
            pages.require(Scope.DELIVERIES_READ, Scope.OPS_READ);
            return Templates.event(pages.chrome("Event " + id, "deliveries", null, 0),
                    queries.event(owners.ofEvent(id), id));
        });
    }
}
