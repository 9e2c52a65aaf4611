package dev.git.webhooks.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.git.webhooks.common.Ids;
import io.vertx.ext.web.Router;

/**
 * Gives every HTTP request, on every route, a {@code req_…} id: answered in {@code X-Request-Id} and quoted in
 * error envelopes and logs. A client's own {@code X-Request-Id} is not trusted; ours replaces it.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            String id = Ids.newId("req");
            rc.request().headers().set(HEADER, id);
            rc.response().headers().set(HEADER, id);
            rc.next();
        });
    }
}
