package dev.git.webhooks.subscription.request;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.git.webhooks.subscription.auth.EndpointAuth;
import dev.git.webhooks.subscription.auth.TlsClientCertificate;

/**
 * {@code POST /v2/webhooks}. The annotations check what a field alone can tell; the service checks what needs more
 * (the address policy, known event types, repositories of the caller, the secret's format). The same constraints
 * apply to the fields a PATCH changes.
 */
@Schema(name = "CreateWebhook", description = "A new webhook endpoint.")
public record CreateWebhook(
        @NotNull(message = Messages.REQUIRED)
        @Schema(required = true, description = "Where deliveries go: http(s), a public address.",
                example = "https://ci.example.com/hooks/git-dev") String url,
        @NotNull(message = Messages.REQUIRED) @Size(min = 1, message = Messages.SOME_EVENTS)
        @Schema(required = true, description = "Event types to deliver, or [\"*\"] for every platform type.",
                example = "[\"repo.push\", \"deploy.failed\"]") List<String> events,
        @Size(min = 1, max = Messages.MAX_REPOS, message = Messages.SOME_REPOS)
        @Schema(nullable = true, description = "Only events of these repositories (owner/name, the caller's own); "
                + "null or absent for all.", example = "[\"acme/api\"]") List<String> repos,
        @Size(max = Messages.MAX_DESCRIPTION, message = Messages.AT_MOST_DESCRIPTION)
        @Schema(nullable = true, maxLength = Messages.MAX_DESCRIPTION, example = "CI of acme/api") String description,
        @Schema(nullable = true, defaultValue = "true", description = "false pauses deliveries.") Boolean active,
        @Schema(nullable = true, description = "The signing secret to use (whsec_ + base64 of 24-64 bytes); "
                + "generated when absent.") String secret,
        @Min(value = 1, message = Messages.CONCURRENCY) @Max(value = 64, message = Messages.CONCURRENCY)
        @Schema(nullable = true, minimum = "1", maximum = "64", example = "3", description = "Attempts in flight to "
                + "the endpoint at once, across all instances; null: the service's default (8).")
        Integer maxConcurrency,
        @Min(value = 1, message = Messages.RATE) @Max(value = Messages.MAX_RATE, message = Messages.RATE)
        @Schema(nullable = true, minimum = "1", maximum = "10000", example = "50", description = "Deliveries a "
                + "second at most, across all instances (a backlog drains at this rate); null: no limit.")
        Integer rateLimit,
        @Size(max = Messages.MAX_HEADERS, message = Messages.AT_MOST_HEADERS)
        @Schema(nullable = true, description = "Up to 10 static request headers sent with every attempt.",
                example = "[{\"name\": \"X-Tenant\", \"value\": \"acme-prod\"}]") List<EndpointHeader> headers,
        @Schema(implementation = EndpointFilter.class, nullable = true, description = "Conditions an event must meet "
                + "to be delivered; null: every event of the types and repositories above.", example = "{\"repo\": "
                + "[\"acme/api\"], \"match\": [{\"pointer\": \"/data/environment\", \"values\": [\"production\"]}]}")
        EndpointFilter filter,
        @Schema(nullable = true, implementation = EndpointOrdering.class, description = "\"none\" (the default) "
                + "or {\"key\": owner | repo | event | a JSON Pointer into the event}.") EndpointOrdering ordering,
        @Size(min = 1, max = 2, message = Messages.SCHEMES)
        @Schema(nullable = true, example = "[\"v1\", \"v1a\"]", description = "The signatures in webhook-signature "
                + "(Standard Webhooks): v1 (HMAC-SHA256 with the secret, and X-Signature-256), v1a (Ed25519; its "
                + "public key is shown as public_key), or both; null or absent: [\"v1\"].")
        List<String> signatureSchemes,
        @Schema(nullable = true, defaultValue = "false", description = "true: the endpoint gets no events until it "
                + "has answered a signed challenge (on create and on every URL change); see ownership.")
        Boolean verifyOwnership,
        @Schema(nullable = true, implementation = EndpointAuth.class, description = "OAuth 2.0 client credentials: "
                + "every attempt carries Authorization: Bearer with a token fetched from token_url; null or absent: "
                + "none.") EndpointAuth auth,
        @Schema(nullable = true, implementation = TlsClientCertificate.class, description = "A client certificate "
                + "that every attempt presents (mutual TLS); null or absent: none.")
        TlsClientCertificate tlsClientCertificate) {

    /** A body without an ownership check nor delivery authentication. */
    public CreateWebhook(String url, List<String> events, List<String> repos, String description, Boolean active,
            String secret, Integer maxConcurrency, Integer rateLimit, List<EndpointHeader> headers,
            EndpointFilter filter, EndpointOrdering ordering, List<String> signatureSchemes) {
        this(url, events, repos, description, active, secret, maxConcurrency, rateLimit, headers, filter, ordering,
                signatureSchemes, null, null, null);
    }

    /** A body without signature schemes (HMAC only). */
    public CreateWebhook(String url, List<String> events, List<String> repos, String description, Boolean active,
            String secret, Integer maxConcurrency, Integer rateLimit, List<EndpointHeader> headers,
            EndpointFilter filter, EndpointOrdering ordering) {
        this(url, events, repos, description, active, secret, maxConcurrency, rateLimit, headers, filter, ordering,
                null);
    }

    /** A body with the fields of the first version of the API (no delivery controls). */
    public CreateWebhook(String url, List<String> events, List<String> repos, String description, Boolean active,
            String secret) {
        this(url, events, repos, description, active, secret, null, null, null, null, null, null);
    }
}
