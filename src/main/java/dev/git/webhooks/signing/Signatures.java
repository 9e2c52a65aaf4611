package dev.git.webhooks.signing;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import dev.git.webhooks.verify.WebhookSignatures;

/**
 * The two signature headers of a delivery, one signature per valid secret, newest first:
 * <ul>
 * <li>{@code X-Signature-256: sha256=<hex HMAC-SHA256(key = the whole secret string, body)>} (GitHub's);</li>
 * <li>{@code webhook-signature: v1,<base64 HMAC-SHA256(key = decoded secret, "id.timestamp.body")>} (Standard
 * Webhooks').</li>
 * </ul>
 * The HMACs come from {@link WebhookSignatures}, the same code that the receivers' verifier uses.
 */
public final class Signatures {

    private Signatures() {
    }

    public static String github(List<SigningSecret> secrets, byte[] body) {
        StringBuilder out = new StringBuilder();
        for (SigningSecret secret : secrets) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append("sha256=").append(HexFormat.of().formatHex(WebhookSignatures.github(secret.value(), body)));
        }
        return out.toString();
    }

    public static String standard(List<SigningSecret> secrets, String webhookId, long timestamp, byte[] body) {
        StringBuilder out = new StringBuilder();
        for (SigningSecret secret : secrets) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append("v1,").append(Base64.getEncoder().encodeToString(
                    WebhookSignatures.standard(secret.value(), webhookId, timestamp, body)));
        }
        return out.toString();
    }
}
