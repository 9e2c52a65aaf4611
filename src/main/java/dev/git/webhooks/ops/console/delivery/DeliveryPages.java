package dev.git.webhooks.ops.console.delivery;

import java.net.URI;
import java.time.Clock;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.common.Refusal;
import dev.git.webhooks.ops.DeliveryQueries;
import dev.git.webhooks.ops.Event;
import dev.git.webhooks.ops.OpsViews.DeliveryView;
import dev.git.webhooks.ops.access.Owners;
import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.ops.console.Pages;
import dev.git.webhooks.ops.console.Problems;
import dev.git.webhooks.ops.health.EndpointLists;
import dev.git.webhooks.ops.search.DeliveryLists;
import dev.git.webhooks.ops.search.DeliverySearch;
import dev.git.webhooks.ops.search.Window;
import dev.git.webhooks.subscription.WebhookEndpoint;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * {@code /console/deliveries}: deliveries newest first, filtered as {@code GET /v2/ops/deliveries} (choices as
 * selects, times as presets or UTC date-times) and searched by delivery id (opens it), endpoint id, URL (any part
 * of it) or event id. A wrong value shows its problem on the form, which keeps what was typed. A list across every
 * owner that nothing narrows shows the last 24 hours, and says so with the time it starts from.
 */
@Path("/console/deliveries")
public class DeliveryPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance deliveries(Chrome chrome, List<DeliveryRow> rows, DeliveryFilterForm filter,
                List<WebhookEndpoint> endpoints, Window window, String next, Problems problems);
    }

    private final Pages pages;
    private final DeliveryLists lists;
    private final EndpointLists endpoints;
    private final DeliveryRows rows;
    private final Owners owners;
    private final DeliveryQueries queries;
    private final CallerContext caller;
    private final Clock clock;

    public DeliveryPages(Pages pages, DeliveryLists lists, EndpointLists endpoints, DeliveryRows rows,
            Owners owners, DeliveryQueries queries, CallerContext caller, Clock clock) {
        this.queries = queries;
        this.pages = pages;
        this.lists = lists;
        this.endpoints = endpoints;
        this.rows = rows;
        this.owners = owners;
        this.caller = caller;
        this.clock = clock;
    }

    @GET
    public Response list(@QueryParam("q") String q, @QueryParam("owner") String owner,
            @QueryParam("endpoint") String endpoint, @QueryParam("event") String event,
            @QueryParam("status") String status, @QueryParam("error_class") String errorClass,
            @QueryParam("range") String range, @QueryParam("since") String since, @QueryParam("until") String until,
            @QueryParam("cursor") String cursor) {
        DeliveryFilterForm filter = new DeliveryFilterForm(trim(q), caller.operator() ? owner : null, endpoint, event,
                status, errorClass, range, since, until);
        String query = trim(q);
        if (query != null && query.startsWith("dlv_") && query.length() <= 64 && !query.contains("/")) {
            return open(query, filter);
        }
        return pages.page(() -> {
            pages.require(Scope.DELIVERIES_READ, Scope.OPS_READ);
            DeliverySearch search = search(filter);
            PageRequest page = PageRequest.parse(null, cursor);
            DeliveryLists.Found found = lists.search(search, page);
            Page<DeliveryView> shown = Page.of(found.rows(), page, d -> d.seq, DeliveryView::of);
            return Templates.deliveries(chrome(), rows.of(shown.data()), filter, choices(), found.window(),
                    shown.pagination().nextCursor(), Problems.NONE);
        }, problems -> Templates.deliveries(chrome(), List.of(), filter, choices(), null, null, problems));
    }

    /** A search for a delivery id opens that delivery; one that is not there (or not the caller's) says so. */
    private Response open(String id, DeliveryFilterForm filter) {
        if (exists(id)) {
            return Response.seeOther(URI.create("/console/deliveries/" + id)).build();
        }
        return pages.page(() -> {
            pages.require(Scope.DELIVERIES_READ, Scope.OPS_READ);
            return Templates.deliveries(chrome(), List.of(), filter, choices(), null, null,
                    Problems.of("There is no delivery " + id + (caller.operator() ? "." : " of yours.")));
        });
    }

    /** Whether the signed-in key may read this delivery. */
    private boolean exists(String id) {
        try {
            pages.require(Scope.DELIVERIES_READ, Scope.OPS_READ);
            queries.delivery(owners.ofDelivery(id), id);
            return true;
        } catch (ApiException | Refusal e) {
            return false;
        }
    }

    private DeliverySearch search(DeliveryFilterForm f) {
        FieldChecks checks = new FieldChecks();
        checks.check(!f.unknownRange(), "range", "must be one of the times offered");
        DeliverySearch search = DeliverySearch.parse(f.owner(), f.endpoint(), f.event() == null || f.event().isBlank()
                ? List.of() : List.of(f.event()), f.status(), f.errorClass(), f.sinceValue(clock.instant()),
                f.untilValue(), checks);
        checks.throwIfAny();
        if (!caller.operator()) {
            search = search.ownedBy(caller.owner());
        }
        String q = f.q();
        if (q == null) {
            return search;
        }
        if (q.startsWith("wh_")) {
            return new DeliverySearch(search.owner(), q, search.filter(), search.errorClass(), null, null);
        }
        // an address, or a word that is no event's id ("orders", a host's name without its dots): part of a URL. Only
        // the caller's own events count, so that the answer never tells whether another owner's event id exists
        if (q.contains("://") || q.contains("/") || q.contains(".")
                || (!q.startsWith("evt_") && !isEvent(q, search.owner()))) {
            return search.ofEndpoints(endpoints.withUrl(search.owner(), q));
        }
        return search.ofEvent(q);
    }


    /** Whether {@code id} is an event's id: of {@code owner}'s events, or of any with no owner (an operator). */
    private static boolean isEvent(String id, String owner) {
        Event event = Event.findById(id);
        return event != null && (owner == null || owner.equals(event.owner));
    }

    /** A customer picks one of its endpoints by name; an operator types an id (there may be thousands). */
    private List<WebhookEndpoint> choices() {
        return caller.operator() ? List.of() : endpoints.choices(caller.owner());
    }

    private Chrome chrome() {
        return pages.chrome("Deliveries", "deliveries", null);
    }

    private static String trim(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
