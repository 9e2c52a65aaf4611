package dev.git.webhooks.subscription.auth;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The client certificate an endpoint's attempts present (mutual TLS), as a request gives it: PEM text. The key is
 * kept encrypted and never shown again; the endpoint shows the certificate's subject and expiry.
 */
@Schema(name = "TlsClientCertificate", description = "A client certificate presented by every attempt (mutual TLS).")
public record TlsClientCertificate(
        @Schema(required = true, example = "-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n",
                description = "The certificate (PEM), optionally followed by its intermediate CA certificates.")
        String certificate,
        @Schema(required = true, example = "-----BEGIN PRIVATE KEY-----\nMIGH…\n-----END PRIVATE KEY-----\n",
                description = "Write-only: its private key, RSA or EC, unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY; "
                        + "convert others with openssl pkcs8 -topk8 -nocrypt). Kept encrypted, never shown again.")
        String privateKey) {
}
