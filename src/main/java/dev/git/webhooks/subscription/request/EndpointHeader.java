package dev.git.webhooks.subscription.request;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One of the customer's static request headers, sent with every attempt. A {@code secret} value is stored sealed
 * (like the signing secret), never shown again and not kept in the attempt log.
 */
@Schema(name = "EndpointHeader", description = "A static request header sent with every attempt.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointHeader(
        @Schema(required = true, example = "X-Tenant", description = "A header name (token characters); not one "
                + "starting with webhook- or x-webhook-, nor a signature, content or connection header.") String name,
        @Schema(example = "acme-prod", description = "Its value (printable characters, up to 1,024); null in the "
                + "endpoint's view when the header is secret.") String value,
        @Schema(nullable = true, defaultValue = "false", example = "true", description = "true: the value is kept like a secret: "
                + "sealed at rest, never shown again, [redacted] in the attempt log.") Boolean secret) {

    public boolean isSecret() {
        return Boolean.TRUE.equals(secret);
    }
}
