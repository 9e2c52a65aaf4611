/**
 * Documents the API: the parts of {@code /q/openapi} that no resource declares, namely the error envelope and one
 * response per error status, each with an example. {@link ErrorResponses} refers every {@code /v2} operation to the
 * ones it can answer; a resource names {@code 409} itself with {@code @APIResponse(ref = ApiDocument.CONFLICT)}.
 * (SmallRye reads an {@code @OpenAPIDefinition} from a package or a JAX-RS Application, not from another class.)
 */
@OpenAPIDefinition(info = @Info(title = "git.dev Webhooks API", version = "v2", description = "Every error answers "
        + "the same envelope, {\"error\":{\"code\",\"message\",\"status\",\"details\":{\"request_id\"}}}, "
        + "including a route that does not exist (404), a method that a path does not take (405, with an Allow "
        + "header: the response MethodNotAllowed) and a failure of the service (500)."), components = @Components(
        schemas = @Schema(name = "ErrorEnvelope", implementation = ErrorEnvelope.class),
        responses = {
            @APIResponse(name = ApiDocument.BAD_REQUEST, description = "Malformed JSON, or invalid fields "
                    + "(validation_failed names each in details.fields).", content = @Content(
                    mediaType = JSON, schema = @Schema(ref = ENVELOPE), examples = {
                        @ExampleObject(name = "validation_failed", value = ApiDocument.INVALID),
                        @ExampleObject(name = "malformed_json", value = ApiDocument.MALFORMED) })),
            @APIResponse(name = ApiDocument.UNAUTHORIZED, description = "No API key, or not a valid one.",
                    content = @Content(mediaType = JSON, schema = @Schema(ref = ENVELOPE), examples =
                    @ExampleObject(name = "invalid_api_key", value = ApiDocument.UNAUTHORIZED_EXAMPLE))),
            @APIResponse(name = ApiDocument.FORBIDDEN, description = "The key lacks the scope, or is not the kind "
                    + "of key (owner's, operator's, admin) the route takes.",
                    content = @Content(mediaType = JSON, schema = @Schema(ref = ENVELOPE), examples =
                    @ExampleObject(name = "insufficient_scope", value = ApiDocument.FORBIDDEN_EXAMPLE))),
            @APIResponse(name = ApiDocument.NOT_FOUND, description = "No such resource, or another owner's.",
                    content = @Content(mediaType = JSON, schema = @Schema(ref = ENVELOPE), examples =
                    @ExampleObject(name = "not_found", value = ApiDocument.NOT_FOUND_EXAMPLE))),
            @APIResponse(name = ApiDocument.CONFLICT, description = "Not possible in the resource's state now.",
                    content = @Content(mediaType = JSON, schema = @Schema(ref = ENVELOPE), examples =
                    @ExampleObject(name = "conflict", value = ApiDocument.CONFLICT_EXAMPLE))),
            @APIResponse(name = ApiDocument.TOO_LARGE, description = "The body is larger than 1 MiB.",
                    content = @Content(mediaType = JSON, schema = @Schema(ref = ENVELOPE), examples =
                    @ExampleObject(name = "payload_too_large", value = ApiDocument.TOO_LARGE_EXAMPLE))),
            @APIResponse(name = ApiDocument.UNSUPPORTED, description = "The body is not application/json.",
                    content = @Content(mediaType = JSON, schema = @Schema(ref = ENVELOPE), examples =
                    @ExampleObject(name = "unsupported_media_type", value = ApiDocument.UNSUPPORTED_EXAMPLE))),
            @APIResponse(name = ApiDocument.RATE_LIMITED, description = "Over the key's requests a minute.",
                    headers = @Header(name = "Retry-After", description = "Seconds until the next window.",
                            schema = @Schema(implementation = Integer.class)),
                    content = @Content(mediaType = JSON, schema = @Schema(ref = ENVELOPE), examples =
                    @ExampleObject(name = "rate_limited", value = ApiDocument.RATE_LIMITED_EXAMPLE))),
            @APIResponse(name = ApiDocument.NOT_ALLOWED, description = "The path exists, but not with this method. "
                    + "No operation of this document answers it: a request with a method that the document does "
                    + "not list for the path does.",
                    headers = @Header(name = "Allow", description = "The methods the path takes.",
                            schema = @Schema(implementation = String.class)),
                    content = @Content(mediaType = JSON, schema = @Schema(ref = ENVELOPE), examples =
                    @ExampleObject(name = "method_not_allowed", value = ApiDocument.NOT_ALLOWED_EXAMPLE))),
            @APIResponse(name = ApiDocument.INTERNAL, description = "An unexpected failure; the message names no "
                    + "internals. Quote the request id.",
                    content = @Content(mediaType = JSON, schema = @Schema(ref = ENVELOPE), examples =
                    @ExampleObject(name = "internal_error", value = ApiDocument.INTERNAL_EXAMPLE))) }))
package dev.git.webhooks.api.docs;

import static dev.git.webhooks.api.docs.ApiDocument.ENVELOPE;
import static dev.git.webhooks.api.docs.ApiDocument.JSON;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.git.webhooks.api.ErrorEnvelope;
