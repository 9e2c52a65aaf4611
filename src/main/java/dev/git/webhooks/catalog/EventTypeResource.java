package dev.git.webhooks.catalog;

import java.util.List;
import java.util.stream.IntStream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;

/**
 * {@code GET /v2/event-types}: the catalog, for any valid API key (it is the same for every owner). A list like
 * every other list of the API ({@code data}, and {@code pagination} with its cursor), so that clients page through it
 * the same way, although today it fits one page.
 */
@Path("/v2/event-types")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Event types")
public class EventTypeResource {

    private final EventCatalog catalog;

    public EventTypeResource(EventCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    public Page<EventType> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.parse(limit, cursor);
        List<EventType> all = catalog.all();
        // Page cursors count down a sequence: entry i of n is row n - i, so the catalog's order is the list's.
        List<Integer> rows = IntStream.range(0, all.size()).filter(i -> all.size() - i < page.before())
                .limit(page.fetchSize()).boxed().toList();
        return Page.of(rows, page, i -> all.size() - i, all::get);
    }

    @GET
    @Path("/{name}")
    public EventType get(@PathParam("name") String name) {
        return catalog.find(name).orElseThrow(() -> new ApiException(404, "not_found",
                "No event type '" + name + "'; GET /v2/event-types lists them."));
    }
}
