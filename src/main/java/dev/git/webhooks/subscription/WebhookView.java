package dev.git.webhooks.subscription;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.git.webhooks.subscription.auth.AuthFields;
import dev.git.webhooks.subscription.auth.EndpointAuthView;
import dev.git.webhooks.subscription.auth.TlsClientCertificateView;
import dev.git.webhooks.subscription.request.EndpointFilter;
import dev.git.webhooks.subscription.request.EndpointHeader;
import dev.git.webhooks.subscription.request.EndpointOrdering;

/** A webhook endpoint as the API shows it; {@code secret} only in the answers of create and rotate. */
public record WebhookView(
        @Schema(example = "wh_2b9c1f0e") String id,
        @Schema(example = "acme") String owner,
        @Schema(example = "https://ci.example.com/hooks/git-dev") String url,
        @Schema(example = "[\"repo.push\", \"deploy.failed\"]") List<String> events,
        @Schema(example = "[\"acme/api\"]", description = "null: events of every repository.") List<String> repos,
        @Schema(example = "CI of acme/api") String description,
        @Schema(example = "true", description = "false: paused by its owner.") boolean active,
        @Schema(example = "enabled", description = "enabled, disabled or auto_disabled.") String status,
        @Schema(example = "failing", description = "Why the service disabled it (failing, gone, "
                + "unverified: its ownership check has not passed), or who did (owner, operator).")
        String disabledReason,
        @Schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", description = "Only in the answers of create "
                + "and rotate-secret.") @JsonInclude(JsonInclude.Include.NON_NULL) String secret,
        @Schema(example = "2025-01-21T14:35:22Z", description = "Until when the old secret still signs; only in the "
                + "answer of rotate-secret.") @JsonInclude(JsonInclude.Include.NON_NULL)
        Instant previousSecretExpiresAt,
        @Schema(example = "3", nullable = true, description = "Attempts in flight at once, across all instances; "
                + "null: the service's default (8).") Integer maxConcurrency,
        @Schema(example = "50", nullable = true, description = "Deliveries a second at most; null: no limit.")
        Integer rateLimit,
        @Schema(nullable = true, description = "Static request headers; a secret one's value is not shown.")
        List<EndpointHeader> headers,
        @Schema(nullable = true, description = "Conditions an event must meet; null: none.",
                example = "{\"repo\": [\"acme/api\"], \"match\": [{\"pointer\": \"/data/environment\", "
                        + "\"values\": [\"production\"]}]}") EndpointFilter filter,
        @Schema(implementation = EndpointOrdering.class, nullable = true, example = "{\"key\": \"repo\"}",
                description = "{\"key\": …}, or null: none.") EndpointOrdering ordering,
        @Schema(example = "[\"v1\", \"v1a\"]", description = "The signatures in webhook-signature: v1 "
                + "(HMAC-SHA256, and X-Signature-256), v1a (Ed25519), or both.") List<String> signatureSchemes,
        @Schema(example = "whpk_Gb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=", nullable = true, description = "The "
                + "Ed25519 public key of the v1a signatures: whpk_ + base64 of the raw 32-byte key; null when v1a "
                + "is off.") String publicKey,
        @Schema(example = "true", description = "Whether it must answer a signed challenge (on create and every URL "
                + "change) before it gets events.") boolean verifyOwnership,
        @Schema(nullable = true, description = "The ownership check; null when verify_ownership is false.",
                example = "{\"state\": \"verified\", \"since\": \"2025-01-20T14:35:22Z\", "
                        + "\"checked_at\": \"2025-01-20T14:35:23Z\", \"error\": null}") OwnershipView ownership,
        @Schema(nullable = true, implementation = EndpointAuthView.class, description = "OAuth 2.0 client "
                + "credentials (the secret never shown); null: none.") EndpointAuthView auth,
        @Schema(nullable = true, implementation = TlsClientCertificateView.class, description = "The client "
                + "certificate presented (its key never shown); null: none.")
        TlsClientCertificateView tlsClientCertificate,
        @Schema(example = "2025-01-20T14:35:22Z") Instant createdAt,
        @Schema(example = "2025-01-20T14:35:22Z") Instant updatedAt) {

    /** The state of the ownership check: while it is not verified, the endpoint is disabled (unverified). */
    @Schema(name = "Ownership")
    public record OwnershipView(
            @Schema(example = "verified", enumeration = { "pending", "verified", "failed" }) String state,
            @Schema(example = "2025-01-20T14:35:22Z", description = "When it went pending (created, URL changed, "
                    + "checked again): once verified, the events received since then are recovered for it.")
            Instant since,
            @Schema(example = "2025-01-20T14:35:23Z", nullable = true, description = "When the last check ended.")
            Instant checkedAt,
            @Schema(example = "http_status: answered HTTP 404", nullable = true, description = "Why the last check "
                    + "failed; null when it passed or runs.") String error) {

        static OwnershipView of(WebhookEndpoint e) {
            return e.ownershipState == null ? null
                    : new OwnershipView(e.ownershipState, e.ownershipSince, e.ownershipCheckedAt, e.ownershipError);
        }
    }

    public static WebhookView of(WebhookEndpoint e) {
        return of(e, null);
    }

    public static WebhookView of(WebhookEndpoint e, String secret) {
        return new WebhookView(e.id, e.owner, e.url, e.events, e.repos, e.description, e.active, e.status,
                e.disabledReason, secret, secret == null ? null : e.previousSecretExpiresAt,
                e.maxConcurrency == null ? null : e.maxConcurrency.intValue(), e.rateLimit,
                DeliveryControls.view(e.headers), DeliveryControls.filterView(e.filter),
                e.ordering == null ? null : new EndpointOrdering(e.ordering),
                List.of((e.signatureSchemes == null ? "v1" : e.signatureSchemes).split(",")),
                e.signsV1a() ? e.publicKey : null, e.ownershipState != null, OwnershipView.of(e),
                AuthFields.authView(e.auth), AuthFields.certificateView(e.tlsClientCertificate), e.createdAt,
                e.updatedAt);
    }
}
