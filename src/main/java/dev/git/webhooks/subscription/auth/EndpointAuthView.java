package dev.git.webhooks.subscription.auth;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@link EndpointAuth} as the endpoint shows it: everything but the secret, which is only said to be set. */
@Schema(name = "EndpointAuthView", description = "OAuth 2.0 client credentials of the endpoint; the secret is never "
        + "shown.")
public record EndpointAuthView(
        @Schema(example = "oauth2_client_credentials") String type,
        @Schema(example = "https://auth.example.com/oauth/token") String tokenUrl,
        @Schema(example = "git-dev-webhooks") String clientId,
        @Schema(nullable = true, example = "webhooks:receive") String scope,
        @Schema(nullable = true, example = "https://hooks.acme.dev") String audience,
        @Schema(example = "basic", description = "basic or body.") String clientAuthentication,
        @Schema(example = "true", description = "Always true: a secret is kept (encrypted), and never shown.")
        boolean clientSecretSet) {
}
