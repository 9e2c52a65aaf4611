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

    /**
     * A prefixed id that sorts by creation time: 10 characters of milliseconds, then 12 random ones (60 bits).
     * Rows keyed by it are appended at the end of their index instead of touching random pages.
     */
    public static String newTimeOrderedId(String prefix, long epochMillis) {
        return timeOrderedBound(prefix, epochMillis) + random(12);
    }

    /**
     * The lowest time-ordered id of {@code prefix} made at {@code epochMillis} or later: every id that
     * {@link #newTimeOrderedId} makes at that millisecond or after sorts at or above it, every one made before sorts
     * below (in any collation that orders digits before letters, as all do), so that a range of creation times is a
     * range of the primary key.
     */
    public static String timeOrderedBound(String prefix, long epochMillis) {
        char[] out = new char[10];
        long time = epochMillis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 0x1f)];
            time >>>= 5;
        }
        return prefix + "_" + new String(out);
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
