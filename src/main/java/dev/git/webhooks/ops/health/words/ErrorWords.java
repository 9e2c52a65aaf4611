package dev.git.webhooks.ops.health.words;

import java.util.Map;

/**
 * What a failed attempt's error class means, in the words of a customer who runs the endpoint: "refused the
 * connection", not {@code connection_refused}. The class itself stays visible beside it for searching and support.
 */
public final class ErrorWords {

    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("connection_refused", "refused the connection"),
            Map.entry("connect_timeout", "could not be reached in time"),
            Map.entry("timeout", "did not answer in time"),
            Map.entry("connection_closed", "closed the connection without answering"),
            Map.entry("dns_failure", "has a host name that did not resolve"),
            Map.entry("tls_error", "failed the TLS handshake (certificate or protocol)"),
            Map.entry("auth", "got no OAuth token: its token endpoint failed"),
            Map.entry("redirect", "answered with a redirect, which is never followed"),
            Map.entry("destination_refused", "points at an address that is not allowed (private or internal)"),
            Map.entry("proxy", "could not be reached through the egress proxy"),
            Map.entry("io_error", "failed while sending"),
            Map.entry("request_failed", "failed while sending"),
            Map.entry("endpoint_disabled", "was disabled, so the delivery stopped"),
            Map.entry("endpoint_inactive", "was paused, so the delivery stopped"),
            Map.entry("endpoint_deleted", "was deleted, so the delivery stopped"));

    private ErrorWords() {
    }

    /** "answered HTTP 503", "refused the connection"…; null when there is neither a status nor a class. */
    public static String of(Integer status, String errorClass) {
        if (status != null && (errorClass == null || errorClass.startsWith("http"))) {
            return "answered HTTP " + status;
        }
        if (errorClass == null) {
            return null;
        }
        String words = WORDS.get(errorClass.replaceAll(" .*", ""));
        return words != null ? words : "failed (" + errorClass + ")";
    }
}
