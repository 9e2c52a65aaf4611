package dev.git.webhooks.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An endpoint's Ed25519 key pair for Standard Webhooks' asymmetric signatures ({@code v1a}): the secret key as
 * {@code whsk_<base64 of the raw 32-byte seed>} (sealed at rest, never shown), the public key as
 * {@code whpk_<base64 of the raw 32-byte key>}. The JDK's encodings of an Ed25519 key are a fixed prefix followed by
 * the raw 32 bytes (RFC 8410), so the raw forms convert without a library.
 */
public final class SigningKey {

    public static final String SECRET_PREFIX = "whsk_";
    public static final String PUBLIC_PREFIX = "whpk_";
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
    private static final int RAW = 32;

    /** A new key pair: the secret and public keys in their {@code whsk_}/{@code whpk_} forms. */
    public record Pair(String secret, String publicKey) {

        @Override
        public String toString() {
            return "Pair[" + publicKey + "]";
        }
    }

    private SigningKey() {
    }

    public static Pair generate() {
        try {
            var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] seed = raw(pair.getPrivate().getEncoded(), PKCS8_PREFIX);
            byte[] pub = raw(pair.getPublic().getEncoded(), X509_PREFIX);
            return new Pair(SECRET_PREFIX + Base64.getEncoder().encodeToString(seed),
                    PUBLIC_PREFIX + Base64.getEncoder().encodeToString(pub));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    /** The private key of a {@code whsk_} secret key, ready to sign. */
    public static PrivateKey privateKey(String secret) {
        byte[] seed = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX,
                    seed)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 secret key does not parse", e);
        }
    }

    /** The public key of a {@code whpk_} string (what a receiver does with the endpoint's {@code public_key}). */
    public static PublicKey publicKey(String shown) {
        byte[] raw = Base64.getDecoder().decode(shown.substring(PUBLIC_PREFIX.length()));
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX,
                    raw)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 public key does not parse", e);
        }
    }

    /** {@code v1a,<base64 Ed25519 signature of "{id}.{timestamp}.{body}">}. */
    public static String sign(PrivateKey key, String webhookId, long timestamp, byte[] body) {
        try {
            Signature signature = Signature.getInstance("Ed25519"); // a new one each time: not thread-safe
            signature.initSign(key);
            signature.update((webhookId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            signature.update(body);
            return "v1a," + Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 does not sign", e);
        }
    }

    private static byte[] raw(byte[] encoded, byte[] prefix) {
        if (encoded.length != prefix.length + RAW
                || !Arrays.equals(Arrays.copyOf(encoded, prefix.length), prefix)) {
            throw new IllegalStateException("unexpected Ed25519 key encoding");
        }
        return Arrays.copyOfRange(encoded, prefix.length, encoded.length);
    }

    private static byte[] concat(byte[] prefix, byte[] raw) {
        if (raw.length != RAW) {
            throw new IllegalStateException("an Ed25519 key has " + RAW + " bytes, not " + raw.length);
        }
        byte[] out = Arrays.copyOf(prefix, prefix.length + raw.length);
        System.arraycopy(raw, 0, out, prefix.length, raw.length);
        return out;
    }
}
