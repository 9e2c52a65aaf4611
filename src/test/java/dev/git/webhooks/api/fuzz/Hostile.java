package dev.git.webhooks.api.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/** The hostile values of the fuzz: strings, JSON values and bodies that have broken services before. */
final class Hostile {

    static final List<String> STRINGS = List.of("", " ", "\u0000", "a\u0000b", "%00", "\\u0000", "null", "true",
            "-1", "0", "2147483648", "9223372036854775808", "1e309", "NaN", "-0", "1.5", "0x10", "ü", "😀",
            "\u202Eevil", "\uFEFFbom", "日本語", "../../etc/passwd", "..", ".", "/", "%2F", "' OR 1=1 --",
            "\"; drop table webhook_endpoint; --", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1:1/x}",
            "{{7*7}}", "\r\nX-Injected: 1", "\t", "\u0007", "\u007F", "\uD800", "wh_", "dlv_", "evt_", "rpl_",
            "key_", "*", "deploy.success", "repo.push", "ping", "failed", "pending", "delivered", "replayed",
            "acme", "acme/api", "org-x/repo", "webhooks:read", "enterprise", "free", "gold",
            "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "whsec_", "http://127.0.0.1:9/x",
            "https://127.0.0.1:0/x", "http://127.0.0.1:65536/x", "http://[::1]:9/x", "ftp://127.0.0.1/x",
            "http://user:pass@127.0.0.1/x", "http://127.0.0.1/x#frag", "http://0x7f000001/x", "http://[::1/x",
            "http://localhost:9/x", "javascript:alert(1)", "2025-01-20T14:35:22Z", "0000-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "+294277-01-01T00:00:00Z", "2025-13-45T25:61:61Z",
            "2025-01-20", "2025-01-20T14:35:22+24:00", "9999-12-31T23:59:59.999999999Z", "garbage", "djE6MA",
            "djE6LTE", cursor("v1:9223372036854775807"), cursor("v1:abc"), cursor("v2:1"), cursor("v1:0001"),
            "%%%", "=", "&", "?", "#", "+", ";");

    static final List<String> JSON_VALUES = List.of("null", "true", "false", "0", "-1", "1", "2147483648",
            "-2147483649", "9223372036854775808", "1e309", "-1e309", "1.5", "1e2", "-0", "[]", "{}", "[null]",
            "[1,2]", "[\"*\"]", "[\"\\u0000\"]", "{\"a\":1}", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\\\\"",
            "[" + "\"x\",".repeat(500) + "\"x\"]", "\"" + "a".repeat(100_000) + "\"");

    static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
            "application/json; charset=utf-16", "application/json; charset=latin1", "text/plain",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "application/xml", "*/*",
            "application/json; charset=\"", "a/b/c;;;", "application/merge-patch+json", "APPLICATION/JSON", "");

    private Hostile() {
    }

    static String cursor(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A hostile string, now and then a long or very long one. */
    static String string(Random random) {
        return switch (random.nextInt(20)) {
            case 0 -> "a".repeat(1 + random.nextInt(600));
            case 1 -> "é".repeat(1 + random.nextInt(3000));
            case 2 -> randomText(random, 1 + random.nextInt(40));
            default -> pick(random, STRINGS);
        };
    }

    /** A JSON value: a hostile string, literal or structure. */
    static String jsonValue(Random random) {
        return switch (random.nextInt(6)) {
            case 0, 1, 2 -> quote(string(random));
            case 3 -> "[" + quote(string(random)) + "," + quote(string(random)) + "]";
            default -> pick(random, JSON_VALUES);
        };
    }

    /** Any code points, controls and surrogate halves included. */
    static String randomText(Random random, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append((char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x10000)));
        }
        return out.toString();
    }

    /** A JSON string literal for {@code value}, escaping what JSON requires (so NUL arrives as U+0000). */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Nested arrays or objects {@code depth} deep. */
    static String deep(int depth, boolean objects) {
        return objects ? "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) : "[".repeat(depth) + "]".repeat(depth);
    }
}
