package dev.git.webhooks.ops.console.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.git.webhooks.common.Ids;

/**
 * Seals the console's session (the API key, when it was issued, a random nonce) with AES-256-GCM: the cookie is
 * unreadable and any change to it fails the tag, so a tampered cookie is simply not a session. The CSRF token of a
 * session is an HMAC of its nonce. Keys are derived from the service's secrets key, one per purpose. Plain logic.
 */
public final class SessionCodec {

    /** An opened session. */
    public record Session(String apiKey, Instant issuedAt, String nonce) {
    }

    private static final String VERSION = "v1.";

    private final SecretKeySpec sealKey;
    private final SecretKeySpec csrfKey;

    public SessionCodec(byte[] secretsKey) {
        this.sealKey = new SecretKeySpec(derive(secretsKey, "console-session-seal"), "AES");
        this.csrfKey = new SecretKeySpec(derive(secretsKey, "console-session-csrf"), "HmacSHA256");
    }

    public String seal(String apiKey, Instant issuedAt) {
        String plain = issuedAt.getEpochSecond() + "|" + Ids.random(22) + "|" + apiKey;
        try {
            byte[] iv = Ids.randomBytes(12);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(ByteBuffer
                    .allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The session in a cookie value, or empty when it is missing, malformed or was changed. */
    public Optional<Session> open(String cookie) {
        if (cookie == null || !cookie.startsWith(VERSION) || cookie.length() > 1000) {
            return Optional.empty();
        }
        try {
            byte[] raw = Base64.getUrlDecoder().decode(cookie.substring(VERSION.length()));
            if (raw.length < 12 + 16) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(128, raw, 0, 12));
            String[] parts = new String(cipher.doFinal(raw, 12, raw.length - 12), StandardCharsets.UTF_8)
                    .split("\\|", 3);
            return Optional.of(new Session(parts[2], Instant.ofEpochSecond(Long.parseLong(parts[0])), parts[1]));
        } catch (GeneralSecurityException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /** The CSRF token that forms of this session (or of a sign-in form, by its nonce) must carry. */
    public String csrfToken(String nonce) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(csrfKey, nonce));
    }

    public boolean csrfMatches(String nonce, String token) {
        return token != null && MessageDigest.isEqual(csrfToken(nonce).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] derive(byte[] key, String purpose) {
        return hmac(new SecretKeySpec(key, "HmacSHA256"), purpose);
    }

    private static byte[] hmac(SecretKeySpec key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
