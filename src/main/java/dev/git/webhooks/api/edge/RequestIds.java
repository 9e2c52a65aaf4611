package dev.git.webhooks.api.edge;

import dev.git.webhooks.common.Ids;
import io.vertx.ext.web.RoutingContext;

/**
 * Every HTTP request, on every route, gets a {@code req_…} id: answered in {@code X-Request-Id} and quoted in error
 * envelopes and logs. A client's own {@code X-Request-Id} is not trusted; ours replaces it.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";

    private RequestIds() {
    }

    /**
     * The id of this request, given to it now if it has none yet (the first route does it; a request that the router
     * refuses before any route ran reaches the error handler without one). Replaces a client's own header.
     */
    static String assign(RoutingContext rc) {
        String id = rc.response().headers().get(HEADER);
        if (id == null) {
            id = Ids.newId("req");
            rc.request().headers().set(HEADER, id);
            rc.response().headers().set(HEADER, id);
        }
        return id;
    }
}
