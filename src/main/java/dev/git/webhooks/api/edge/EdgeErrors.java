package dev.git.webhooks.api.edge;

import java.util.Map;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.api.ErrorEnvelope;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The error envelope for the answers made in front of JAX-RS: the edge's own limits and media-type check, the body
 * handler's 413, and whatever the Vert.x router fails with (an HTTP/1.1 request without {@code Host} is its 400; its
 * messages name no class). JAX-RS errors have their own mappers ({@code dev.git.webhooks.api.ErrorMappers}) with
 * the same shape.
 */
final class EdgeErrors {

    private static final Logger LOG = Logger.getLogger(EdgeErrors.class);

    private final ObjectMapper json;
    private final long maxBody;

    EdgeErrors(ObjectMapper json, long maxBody) {
        this.json = json;
        this.maxBody = maxBody;
    }

    /** A failure handler and router error handler: the status the context failed with, 500 for an exception. */
    void fail(RoutingContext rc) {
        int status = rc.statusCode() >= 400 ? rc.statusCode() : 500;
        if (status >= 500) {
            LOG.errorf(rc.failure(), "Unexpected failure of %s %s [%s]", rc.request().method(),
                    rc.request().path(), RequestIds.assign(rc));
        }
        answer(rc, status, message(status, rc));
    }

    void answer(RoutingContext rc, int status, String message) {
        HttpServerResponse response = rc.response();
        String id = RequestIds.assign(rc);
        if (response.ended()) {
            return;
        }
        if (response.headWritten()) {
            rc.request().connection().close(); // too late for an envelope: do not pass a cut answer as whole
            return;
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(ErrorEnvelope.of(status, ErrorEnvelope.codeFor(status), message,
                    Map.of(), id));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the error envelope cannot be written", e);
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (!rc.request().isEnded()) {
            // the rest of the body is not read: the connection cannot carry another request
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        response.end(Buffer.buffer(body));
    }

    private String message(int status, RoutingContext rc) {
        return switch (status) {
            case 400 -> rc.failure() instanceof VertxException e && e.getMessage() != null
                    ? "The request is malformed: " + e.getMessage() : "The request is malformed.";
            case 404 -> "No route for " + rc.request().method() + " " + rc.request().path() + ".";
            case 413 -> "The request body is larger than the limit of " + maxBody + " bytes.";
            case 414 -> "The request URI is longer than the limit of " + HttpEdge.MAX_URI + " characters.";
            case 415 -> ErrorEnvelope.SEND_JSON;
            case 431 -> "The request header fields are larger than the limit of " + HttpEdge.MAX_HEADER_BYTES
                    + " bytes.";
            case 500 -> ErrorEnvelope.INTERNAL_ERROR;
            default -> ErrorEnvelope.reason(status) + ".";
        };
    }
}
