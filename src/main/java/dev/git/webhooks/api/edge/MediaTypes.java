package dev.git.webhooks.api.edge;

import java.util.Locale;

/** Reads a {@code Content-Type} header without trusting its shape. */
final class MediaTypes {

    private MediaTypes() {
    }

    /** {@code application/json}, with no charset or with UTF-8 (RFC 8259 allows no other). */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";", -1);
        if (!parts[0].trim().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            String name = parameter[0].trim().toLowerCase(Locale.ROOT);
            String value = parameter.length < 2 ? "" : parameter[1].trim().replace("\"", "").toLowerCase(Locale.ROOT);
            if (name.equals("charset") && !value.equals("utf-8") && !value.equals("utf8")) {
                return false;
            }
        }
        return true;
    }
}
