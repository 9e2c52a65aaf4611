package dev.git.webhooks.signing;

import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import dev.git.webhooks.common.Ids;

/**
 * A signing secret: {@code whsec_} followed by standard base64 of 24 to 64 random bytes (the Standard Webhooks
 * format). GitHub-style signatures key the HMAC with the whole string; Standard Webhooks ones with the bytes.
 */
public record SigningSecret(String value) {

    public static final String PREFIX = "whsec_";
    public static final int MIN_BYTES = 24;
    public static final int MAX_BYTES = 64;
    private static final int GENERATED_BYTES = 32;

    public static SigningSecret generate() {
        return new SigningSecret(PREFIX + Base64.getEncoder().encodeToString(Ids.randomBytes(GENERATED_BYTES)));
    }

    /** The problem with a secret given by a customer, or empty when it has the right format. */
    public static Optional<String> problem(String value) {
        if (!value.startsWith(PREFIX)) {
            return Optional.of("must start with " + PREFIX);
        }
        String encoded = value.substring(PREFIX.length());
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return Optional.of("must be " + PREFIX + " followed by standard base64");
        }
        if (!Base64.getEncoder().encodeToString(bytes).equals(encoded)) {
            return Optional.of("must be " + PREFIX + " followed by padded standard base64");
        }
        if (bytes.length < MIN_BYTES || bytes.length > MAX_BYTES) {
            return Optional.of("must encode " + MIN_BYTES + " to " + MAX_BYTES + " bytes, not " + bytes.length);
        }
        return Optional.empty();
    }

    /** The HMAC key of the Standard Webhooks signature: the base64-decoded part after {@code whsec_}. */
    public byte[] keyBytes() {
        return Base64.getDecoder().decode(value.substring(PREFIX.length()));
    }

    @Override
    public String toString() {
        return PREFIX + "…";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SigningSecret s && Arrays.equals(s.value.getBytes(), value.getBytes());
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
