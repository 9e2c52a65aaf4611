package dev.git.webhooks.common;

import java.security.SecureRandom;

/** Prefixed, unguessable (110 random bits, Crockford base32) resource ids ({@code wh_…}, {@code dlv_…}, {@code key_…}, {@code rpl_…}, {@code req_…}). */
public final class Ids {

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String newId(String prefix) {
        return prefix + "_" + random(22);
    }

    public static String random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[bytes[i] & 0x1f];
        }
        return new String(out);
    }

    public static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
