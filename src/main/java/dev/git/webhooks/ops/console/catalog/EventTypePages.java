package dev.git.webhooks.ops.console.catalog;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.catalog.EventCatalog;
import dev.git.webhooks.catalog.EventType;
import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.ops.console.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * {@code /console/event-types}: the event catalog as {@code GET /v2/event-types} answers it, for anyone signed in
 * (the API asks no scope of it either): what each type means and who sends it, and per type its data's JSON Schema
 * and a whole event as delivered, so that a customer choosing the events of an endpoint knows what they will get.
 */
@Path("/console/event-types")
public class EventTypePages {

    /** A type as the pages show it: its schema and example as indented JSON. */
    public record Shown(EventType type, String schema, String example) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Chrome chrome, List<EventType> types);

        static native TemplateInstance type(Chrome chrome, Shown shown);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pages pages;
    private final EventCatalog catalog;

    public EventTypePages(Pages pages, EventCatalog catalog) {
        this.pages = pages;
        this.catalog = catalog;
    }

    @GET
    public Response list() {
        return pages.page(() -> Templates.list(pages.chrome("Event types", "event-types", null), catalog.all()));
    }

    @GET
    @Path("/{name}")
    public Response type(@PathParam("name") String name) {
        return pages.page(() -> {
            EventType type = catalog.find(name).orElseThrow(() -> new ApiException(404, "not_found",
                    "There is no event type '" + name + "'. The event types page lists them."));
            return Templates.type(pages.chrome("Event type " + type.name(), "event-types", null),
                    new Shown(type, indented(type.schema()), indented(type.example())));
        });
    }

    private static String indented(JsonNode json) {
        try {
            return json == null ? "" : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
