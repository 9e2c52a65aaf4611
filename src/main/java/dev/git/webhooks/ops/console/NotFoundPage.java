package dev.git.webhooks.ops.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** Any other {@code /console/…} address: the console's own 404 page, not the API's JSON. */
@Path("/console/{rest: .+}")
public class NotFoundPage {

    private final Pages pages;

    public NotFoundPage(Pages pages) {
        this.pages = pages;
    }

    @GET
    public Response missing() {
        return pages.error(404, "Not found", "There is no console page at this address.");
    }
}
