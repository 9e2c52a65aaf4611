package dev.git.webhooks.outbox;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request of a delivery's last attempt, kept in its row without repeating what the row already says: only the
 * timestamp, the two signatures and the user agent are stored; the other headers follow from the delivery (its id,
 * event, attempt number). Stored as bytes ({@code last_request_signed}): a version byte (1), the timestamp (8 bytes),
 * the {@code X-Signature-256} HMAC (32), the number of {@code webhook-signature} HMACs and each (32), then the user
 * agent in UTF-8. Headers that this form would not give back exactly are stored as their text form instead (one per
 * line, which rows written before this form also hold in {@code last_request_signing}).
 */
public final class LastAttempt {

    private static final String[] STORED = {"webhook-timestamp", "X-Signature-256", "webhook-signature",
        "User-Agent"};
    private static final byte BINARY = 1;
    private static final int MAC = 32;
    private static final HexFormat HEX = HexFormat.of();

    private LastAttempt() {
    }

    /** The stored form of an attempt's request headers. */
    public static byte[] signed(Map<String, String> requestHeaders) {
        String[] values = new String[STORED.length];
        for (int i = 0; i < STORED.length; i++) {
            values[i] = requestHeaders.getOrDefault(STORED[i], "");
        }
        try {
            byte[] binary = binary(values);
            if (Arrays.equals(values, read(binary))) {
                return binary;
            }
        } catch (RuntimeException e) {
            // not in the shape the binary form takes: the text form below keeps it as it is
        }
        return String.join("\n", values).concat("\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The request headers as they were sent, from the delivery and its stored form (either column). */
    public static Map<String, String> requestHeaders(byte[] signed, String signingText, String deliveryId,
            String eventId, String eventType, int attempt) {
        String[] values = signed != null ? read(signed) : signingText != null ? signingText.split("\n", -1) : null;
        if (values == null) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", value(values, 3));
        if (!value(values, 1).isEmpty()) { // an endpoint signed with v1a alone gets no HMAC, so no such header
            headers.put("X-Signature-256", value(values, 1));
        }
        headers.put("X-Webhook-Event", eventType);
        headers.put("X-Webhook-Delivery", deliveryId);
        headers.put("X-Webhook-Attempt", String.valueOf(attempt));
        headers.put("webhook-id", eventId);
        headers.put("webhook-timestamp", value(values, 0));
        headers.put("webhook-signature", value(values, 2));
        return headers;
    }

    private static byte[] binary(String[] values) {
        long timestamp = Long.parseLong(values[0]);
        byte[] github = HEX.parseHex(values[1].substring("sha256=".length()));
        String[] standard = values[2].split(" ");
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(BINARY);
        out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(timestamp).array());
        out.writeBytes(github);
        out.write(standard.length);
        for (String signature : standard) {
            out.writeBytes(Base64.getDecoder().decode(signature.substring("v1,".length())));
        }
        out.writeBytes(values[3].getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String[] read(byte[] signed) {
        if (signed.length == 0 || signed[0] != BINARY) {
            return new String(signed, StandardCharsets.UTF_8).split("\n", -1);
        }
        ByteBuffer in = ByteBuffer.wrap(signed, 1, signed.length - 1);
        String timestamp = String.valueOf(in.getLong());
        String github = "sha256=" + HEX.formatHex(take(in, MAC));
        int count = Byte.toUnsignedInt(in.get());
        String[] standard = new String[count];
        for (int i = 0; i < count; i++) {
            standard[i] = "v1," + Base64.getEncoder().encodeToString(take(in, MAC));
        }
        String userAgent = new String(take(in, in.remaining()), StandardCharsets.UTF_8);
        return new String[] {timestamp, github, String.join(" ", standard), userAgent};
    }

    private static byte[] take(ByteBuffer in, int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static String value(String[] values, int index) {
        return index < values.length ? values[index] : "";
    }
}
