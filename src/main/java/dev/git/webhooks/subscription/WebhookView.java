package dev.git.webhooks.subscription;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A webhook endpoint as the API shows it; {@code secret} only in the answers of create and rotate. */
public record WebhookView(String id, String owner, String url, List<String> events, List<String> repos, String description,
        boolean active, String status, String disabledReason,
        @JsonInclude(JsonInclude.Include.NON_NULL) String secret,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant previousSecretExpiresAt,
        Instant createdAt, Instant updatedAt) {

    public static WebhookView of(WebhookEndpoint e) {
        return of(e, null);
    }

    public static WebhookView of(WebhookEndpoint e, String secret) {
        return new WebhookView(e.id, e.owner, e.url, e.events, e.repos, e.description, e.active, e.status,
                e.disabledReason, secret, secret == null ? null : e.previousSecretExpiresAt, e.createdAt,
                e.updatedAt);
    }
}
