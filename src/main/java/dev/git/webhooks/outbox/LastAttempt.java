package dev.git.webhooks.outbox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request of a delivery's last attempt, kept in its row without repeating what the row already says: only the
 * timestamp, the two signatures and the user agent are stored ({@code last_request_signing}, one per line); the
 * other headers follow from the delivery (its id, event, attempt number).
 */
public final class LastAttempt {

    private static final String[] STORED = {"webhook-timestamp", "X-Signature-256", "webhook-signature",
        "User-Agent"};

    private LastAttempt() {
    }

    static String signing(Map<String, String> requestHeaders) {
        StringBuilder out = new StringBuilder();
        for (String name : STORED) {
            out.append(requestHeaders.getOrDefault(name, "")).append('\n');
        }
        return out.toString();
    }

    /** The request headers as they were sent, from the delivery and its stored signing line. */
    public static Map<String, String> requestHeaders(String signing, String deliveryId, String eventId,
            String eventType, int attempt) {
        if (signing == null) {
            return null;
        }
        String[] values = signing.split("\n", -1);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", value(values, 3));
        headers.put("X-Signature-256", value(values, 1));
        headers.put("X-Webhook-Event", eventType);
        headers.put("X-Webhook-Delivery", deliveryId);
        headers.put("X-Webhook-Attempt", String.valueOf(attempt));
        headers.put("webhook-id", eventId);
        headers.put("webhook-timestamp", value(values, 0));
        headers.put("webhook-signature", value(values, 2));
        return headers;
    }

    private static String value(String[] values, int index) {
        return index < values.length ? values[index] : "";
    }
}
