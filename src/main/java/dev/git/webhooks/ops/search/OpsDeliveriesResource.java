package dev.git.webhooks.ops.search;

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
import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.OpsViews.DeliveryView;

/**
 * {@code GET /v2/ops/deliveries?owner=&endpoint=&event=&status=&error_class=&since=&until=}: deliveries of every
 * owner, newest first, for operators, with the window of creation times the answer covers (the last 24 hours when
 * nothing narrows the search).
 */
@Path("/v2/ops/deliveries")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
public class OpsDeliveriesResource {

    private final DeliveryLists lists;

    public OpsDeliveriesResource(DeliveryLists lists) {
        this.lists = lists;
    }

    @GET
    @RequiresScope(value = Scope.OPS_READ, operator = Scope.OPS_READ)
    public DeliveryPage list(@QueryParam("owner") String owner, @QueryParam("endpoint") String endpoint,
            @QueryParam("event") List<String> events,
            @Parameter(description = "Only deliveries in this status.", schema = @Schema(type = SchemaType.STRING,
                    enumeration = { "pending", "delivered", "failed", "replayed" }))
            @QueryParam("status") String status,
            @QueryParam("error_class") String errorClass,
            @Parameter(description = "Only deliveries created at or after this time (RFC 3339). Without since, "
                    + "owner and endpoint, the list covers the last 24 hours, and says so in window.")
            @QueryParam("since") String since,
            @Parameter(description = "Only deliveries created before this time (RFC 3339).")
            @QueryParam("until") String until, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.parse(limit, cursor);
        FieldChecks checks = new FieldChecks();
        DeliverySearch search = DeliverySearch.parse(owner, endpoint, events, status, errorClass, since, until,
                checks);
        checks.throwIfAny();
        DeliveryLists.Found found = lists.search(search, page);
        return DeliveryPage.of(Page.of(found.rows(), page, d -> d.seq, DeliveryView::of), found.window());
    }
}
