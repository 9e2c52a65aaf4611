package dev.git.webhooks.verify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two signatures of a git.dev delivery, computed the one way that both the service (signing) and receivers
 * (verifying) use. JDK only.
 */
public final class WebhookSignatures {

    public static final String SECRET_PREFIX = "whsec_";
    private static final String HMAC = "HmacSHA256";

    private WebhookSignatures() {
    }

    /** GitHub's: HMAC-SHA256 of the body, keyed with the whole secret string as UTF-8. */
    public static byte[] github(String secret, byte[] body) {
        return hmac(secret.getBytes(StandardCharsets.UTF_8), body);
    }

    /** Standard Webhooks': HMAC-SHA256 of {@code "{id}.{timestamp}.{body}"}, keyed with the decoded secret. */
    public static byte[] standard(String secret, String id, long timestamp, byte[] body) {
        byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        return hmac(key, (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
    }

    private static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(HMAC); // a new Mac each time: it is not thread-safe
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
