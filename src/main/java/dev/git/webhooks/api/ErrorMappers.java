package dev.git.webhooks.api;

import java.util.Map;
import java.util.Set;

import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.git.webhooks.api.body.Bodies;
import dev.git.webhooks.api.body.FieldNames;
import dev.git.webhooks.api.edge.RequestIds;
import dev.git.webhooks.api.edge.Routes;
import dev.git.webhooks.common.Refusal;
import io.vertx.core.http.HttpServerRequest;

/**
 * Turns every failure into the error envelope. Narrow mappers first; the last one catches anything unexpected,
 * logs it with the request id, and answers a bare 500 that names no class and shows no stack trace.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    private final Routes routes;

    public ErrorMappers(Routes routes) {
        this.routes = routes;
    }

    @ServerExceptionMapper
    public Response api(ApiException e, HttpServerRequest request) {
        return ErrorEnvelope.response(e.status(), e.code(), e.getMessage(), e.details(), requestId(request));
    }

    /** No route: but a wrong method on a path that exists is a 405 (see {@link Routes} for why it comes here). */
    @ServerExceptionMapper
    public Response refused(Refusal e, HttpServerRequest request) {
        return api(ApiException.of(e), request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response notFound(NotFoundException e, HttpServerRequest request) {
        Set<String> allowed = routes.allowed(request.path());
        if (!allowed.isEmpty() && !allowed.contains(request.method().name())) {
            return methodNotAllowed(request, String.join(", ", allowed));
        }
        return ErrorEnvelope.response(404, "not_found",
                "No route for " + request.method() + " " + request.path() + ".", Map.of(), requestId(request));
    }

    @ServerExceptionMapper(priority = 1)
    public Response notAllowed(NotAllowedException e, HttpServerRequest request) {
        Set<String> allowed = routes.allowed(request.path());
        String allow = allowed.isEmpty() ? e.getResponse().getHeaderString("Allow") : String.join(", ", allowed);
        return methodNotAllowed(request, allow);
    }

    private static Response methodNotAllowed(HttpServerRequest request, String allow) {
        Response response = ErrorEnvelope.response(405, "method_not_allowed",
                request.method() + " is not allowed on " + request.path() + ".", Map.of(), requestId(request));
        return allow == null ? response : Response.fromResponse(response).header("Allow", allow).build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response unsupported(NotSupportedException e, HttpServerRequest request) {
        return ErrorEnvelope.response(415, "unsupported_media_type", ErrorEnvelope.SEND_JSON, Map.of(),
                requestId(request));
    }

    @ServerExceptionMapper(priority = 1)
    public Response web(WebApplicationException e, HttpServerRequest request) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof UnrecognizedPropertyException unknown) {
                return unknownField(unknown, request);
            }
            if (cause instanceof JsonMappingException mapping) {
                return wrongType(mapping, request);
            }
            if (cause instanceof JsonProcessingException json) {
                return malformed(json, request);
            }
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, request);
        }
        return ErrorEnvelope.response(status, ErrorEnvelope.codeFor(status), ErrorEnvelope.reason(status) + ".",
                Map.of(), requestId(request));
    }

    @ServerExceptionMapper(priority = 1)
    public Response unknownField(UnrecognizedPropertyException e, HttpServerRequest request) {
        ApiException invalid = ApiException.invalid(FieldNames.of(e), "is not a known field");
        return api(invalid, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e, HttpServerRequest request) {
        return wrongType(e, request);
    }

    @ServerExceptionMapper(priority = 2)
    public Response wrongType(JsonMappingException e, HttpServerRequest request) {
        if (String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
            return ErrorEnvelope.response(400, "malformed_json", "The request body has more after its JSON value.",
                    Map.of(), requestId(request));
        }
        String field = FieldNames.of(e);
        if (field.isEmpty()) {
            return api(ApiException.invalid("body", Bodies.JSON_OBJECT), request);
        }
        return api(ApiException.invalid(field, FieldNames.wrongType(e)), request);
    }

    @ServerExceptionMapper(priority = 3)
    public Response malformed(JsonProcessingException e, HttpServerRequest request) {
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return ErrorEnvelope.response(400, "malformed_json", "The request body is not valid JSON" + where + ".",
                Map.of(), requestId(request));
    }

    @ServerExceptionMapper(priority = 1)
    public Response constraint(ConstraintViolationException e, HttpServerRequest request) {
        return api(ApiException.invalid(FieldNames.errors(e.getConstraintViolations())), request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response concurrent(OptimisticLockException e, HttpServerRequest request) {
        return ErrorEnvelope.response(409, "conflict",
                "The resource was changed at the same time by another request; read it again and retry.",
                Map.of(), requestId(request));
    }

    @ServerExceptionMapper(priority = 10)
    public Response unexpected(Throwable e, HttpServerRequest request) {
        String id = requestId(request);
        LOG.errorf(e, "Unexpected failure of %s %s [%s]", request.method(), request.path(), id);
        return ErrorEnvelope.response(500, "internal_error", ErrorEnvelope.INTERNAL_ERROR, Map.of(), id);
    }

    static String requestId(HttpServerRequest request) {
        String id = request.getHeader(RequestIds.HEADER);
        return id == null ? "unknown" : id;
    }
}
