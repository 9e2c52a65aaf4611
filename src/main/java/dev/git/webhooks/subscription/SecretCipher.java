package dev.git.webhooks.subscription;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.common.RequiredSettings;

/**
 * Encrypts signing secrets at rest with AES-256-GCM. The stored form is {@code nonce(12) ‖ ciphertext ‖ tag(16)}
 * with the endpoint id as associated data (a ciphertext copied to another row does not open), next to the id of
 * the key that sealed it, so that keys can be rotated: new secrets use the current key, old ones still open with
 * a retired key.
 */
@ApplicationScoped
public class SecretCipher {

    public record Sealed(byte[] ciphertext, String keyId) {
    }

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final String currentKeyId;
    private final Map<String, SecretKeySpec> keys = new HashMap<>();

    public SecretCipher(RequiredSettings settings, SecretsConfig config) {
        byte[] current = settings.encryptionKey();
        this.currentKeyId = keyId(current);
        keys.put(currentKeyId, new SecretKeySpec(current, "AES"));
        for (String retired : config.retiredEncryptionKeys().orElse(List.of())) {
            byte[] bytes = RequiredSettings.decodeKey(retired);
            if (bytes == null) {
                throw new IllegalStateException(
                        "webhooks.secrets.retired-encryption-keys must hold base64 of exactly 32 bytes each");
            }
            keys.put(keyId(bytes), new SecretKeySpec(bytes, "AES"));
        }
    }

    public Sealed seal(String secret, String endpointId) {
        byte[] nonce = Ids.randomBytes(NONCE_BYTES);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(endpointId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return new Sealed(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array(),
                    currentKeyId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public String open(byte[] ciphertext, String keyId, String endpointId) {
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new IllegalStateException("Signing secret of " + endpointId + " is sealed with key " + keyId
                    + ", which is not configured (add it to webhooks.secrets.retired-encryption-keys)");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ciphertext, 0, NONCE_BYTES));
            cipher.updateAAD(endpointId.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(ciphertext, NONCE_BYTES, ciphertext.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Signing secret of " + endpointId + " does not decrypt", e);
        }
    }

    static String keyId(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return "k" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
