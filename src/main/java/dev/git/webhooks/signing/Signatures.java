package dev.git.webhooks.signing;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import dev.git.webhooks.verify.WebhookSignatures;

/**
 * The two signature headers of a delivery:
 * <ul>
 * <li>{@code X-Signature-256: sha256=<hex HMAC-SHA256(key = the whole secret string, body)>} (GitHub's), exactly
 * one value made with the newest secret: stock GitHub-style verifiers compare the whole header with the one value
 * they expect, so a second value would make them refuse every delivery during a rotation. Receivers of this header
 * accept both secrets during their own switch, as with GitHub;</li>
 * <li>{@code webhook-signature: v1,<base64 HMAC-SHA256(key = decoded secret, "id.timestamp.body")>} (Standard
 * Webhooks'), one per valid secret, newest first, separated by spaces, as that convention expects.</li>
 * </ul>
 * The HMACs come from {@link WebhookSignatures}, the same code that the receivers' verifier uses.
 */
public final class Signatures {

    private Signatures() {
    }

    public static String github(SigningSecret newest, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(WebhookSignatures.github(newest.value(), body));
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
