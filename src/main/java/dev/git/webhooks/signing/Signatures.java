package dev.git.webhooks.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two signatures of a delivery, one per valid secret, newest first:
 * <ul>
 * <li>{@code X-Signature-256: sha256=<hex HMAC-SHA256(key = the whole secret string, body)>} (GitHub's);</li>
 * <li>{@code webhook-signature: v1,<base64 HMAC-SHA256(key = decoded secret, "id.timestamp.body")>} (Standard
 * Webhooks').</li>
 * </ul>
 * A new {@link Mac} per signature: it is not thread-safe.
 */
public final class Signatures {

    private static final String HMAC = "HmacSHA256";

    private Signatures() {
    }

    public static String github(List<SigningSecret> secrets, byte[] body) {
        StringBuilder out = new StringBuilder();
        for (SigningSecret secret : secrets) {
            byte[] mac = hmac(secret.value().getBytes(StandardCharsets.UTF_8), body);
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append("sha256=").append(HexFormat.of().formatHex(mac));
        }
        return out.toString();
    }

    public static String standard(List<SigningSecret> secrets, String webhookId, long timestamp, byte[] body) {
        byte[] prefix = (webhookId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        for (SigningSecret secret : secrets) {
            byte[] mac = hmac(secret.keyBytes(), prefix, body);
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append("v1,").append(Base64.getEncoder().encodeToString(mac));
        }
        return out.toString();
    }

    private static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
