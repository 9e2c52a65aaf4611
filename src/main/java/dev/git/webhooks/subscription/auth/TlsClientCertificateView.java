package dev.git.webhooks.subscription.auth;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The endpoint's client certificate as it is shown: who it names and until when; never its key. */
@Schema(name = "TlsClientCertificateView", description = "The client certificate of the endpoint; its key is never "
        + "shown.")
public record TlsClientCertificateView(
        @Schema(example = "CN=git-dev-webhooks,O=Acme") String subject,
        @Schema(example = "CN=Acme Internal CA") String issuer,
        @Schema(example = "2026-12-31T23:59:59Z", description = "When it expires: attempts fail after that; replace "
                + "it before.") Instant notAfter,
        @Schema(example = "3b5f…", description = "SHA-256 of the certificate (DER), lowercase hex.")
        String fingerprintSha256) {
}
