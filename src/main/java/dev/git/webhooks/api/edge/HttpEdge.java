package dev.git.webhooks.api.edge;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The HTTP edge, in front of JAX-RS: a request id for every request; the API's limits on the request target, the
 * header fields and the body; the media type of a {@code /v2} body; and the error envelope for every answer made
 * here or by the Vert.x router. The HTTP codec's own limits (application.properties) are set above the API's, so
 * that a request over the API's limits still reaches this class and is answered with the envelope; what the codec
 * answers on its own, before any handler (malformed HTTP framing, or sizes over its limits), is in docs/api.md.
 */
@ApplicationScoped
public class HttpEdge {

    /** The longest request target (path and query) that the API reads. */
    public static final int MAX_URI = 4096;
    /** The most bytes of header fields (names, values, separators) that the API reads. */
    public static final int MAX_HEADER_BYTES = 20 * 1024;

    private final EdgeErrors errors;
    private final long maxBody;
    private final BodyHandler body;

    public HttpEdge(ObjectMapper json, VertxHttpConfig http) {
        this.maxBody = http.limits().maxBodySize().map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        this.errors = new EdgeErrors(json, maxBody);
        this.body = BodyHandler.create(false).setBodyLimit(maxBody).setMergeFormAttributes(false);
    }

    /**
     * The request id first; a failure handler for every route, and the router's error handlers for failures that no
     * route's handler took (those made before any route matched). The checks run after Quarkus's own first routes
     * and before its upload limit (order -2), whose 413 has an empty body.
     */
    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            RequestIds.assign(rc);
            rc.next();
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(errors::fail);
        for (int status = 400; status < 600; status++) {
            router.errorHandler(status, errors::fail);
        }
        router.route().order(Integer.MIN_VALUE + 2).handler(this::limits);
        router.route("/v2/*").order(Integer.MIN_VALUE + 2).handler(this::jsonBody).handler(HttpEdge::emptyBody);
    }

    private void limits(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        long length = contentLength(request);
        if (request.uri().length() > MAX_URI) {
            rc.fail(414);
        } else if (headerBytes(request) > MAX_HEADER_BYTES) {
            rc.fail(431);
        } else if (length < -1) {
            rc.fail(400);
        } else if (length > maxBody) {
            rc.fail(413);
        } else {
            rc.next();
        }
    }

    /**
     * A {@code /v2} body must be JSON in UTF-8: a request with a body of another type, or of none, is refused before
     * a byte of it is read. A request without a body (an empty POST to ping, say) needs no type. The body is then
     * read here, so that a body over the limit, chunked or not, is refused with the envelope.
     */
    private void jsonBody(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        boolean hasBody = contentLength(request) > 0 || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
        if (!hasBody) {
            rc.next();
            return;
        }
        if (!MediaTypes.isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            rc.fail(415);
            return;
        }
        if (request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
            rc.response().writeContinue();
        }
        body.handle(rc);
    }

    /**
     * A body that was read and had no bytes (chunked, one empty chunk) is an empty buffer, not none: RESTEasy
     * Reactive would otherwise wait to read it from the request, which has ended.
     */
    private static void emptyBody(RoutingContext rc) {
        if (rc.body().available() && rc.body().buffer() == null) {
            rc.setBody(Buffer.buffer());
        }
        rc.next();
    }

    /** The declared body length; -1 when none is declared, -2 when the declaration is not a length. */
    private static long contentLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            long length = Long.parseLong(value.trim());
            return length < 0 ? -2 : length;
        } catch (NumberFormatException e) {
            return -2;
        }
    }

    private static long headerBytes(HttpServerRequest request) {
        long bytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            bytes += header.getKey().length() + header.getValue().length() + 4;
        }
        return bytes;
    }
}
