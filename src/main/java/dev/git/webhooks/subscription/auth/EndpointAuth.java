package dev.git.webhooks.subscription.auth;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How the service authenticates its attempts to an endpoint, as a request gives it: OAuth 2.0 client credentials
 * (RFC 6749 §4.4), the shape Convoy and Svix users know. The whole object is given each time (a PATCH replaces it, the
 * secret included), as with a secret static header: the secret is never shown again, so it cannot be merged.
 */
@Schema(name = "EndpointAuth", description = "OAuth 2.0 client credentials: the service fetches a token from token_url "
        + "and sends it as Authorization: Bearer with every attempt.")
public record EndpointAuth(
        @Schema(required = true, enumeration = "oauth2_client_credentials", example = "oauth2_client_credentials")
        String type,
        @Schema(required = true, example = "https://auth.example.com/oauth/token", description = "The token "
                + "endpoint: https, a public address (the rules of url).") String tokenUrl,
        @Schema(required = true, example = "git-dev-webhooks", maxLength = 256) String clientId,
        @Schema(required = true, example = "9f3b1c…", maxLength = 1024, description = "Write-only: kept encrypted, "
                + "never shown again.") String clientSecret,
        @Schema(nullable = true, example = "webhooks:receive", maxLength = 1024, description = "Sent as scope; "
                + "null or absent: none.") String scope,
        @Schema(nullable = true, example = "https://hooks.acme.dev", maxLength = 1024, description = "Sent as "
                + "audience, the API the token is for (Auth0 and other identity providers require it with this "
                + "grant); null or absent: none.") String audience,
        @Schema(nullable = true, enumeration = {"basic", "body"}, defaultValue = "basic", description = "How the "
                + "client authenticates to the token endpoint: basic (HTTP Basic, RFC 6749 §2.3.1, the default) or "
                + "body (client_id and client_secret in the form).") String clientAuthentication) {

    public static final String OAUTH2_CLIENT_CREDENTIALS = "oauth2_client_credentials";
}
