package dev.git.webhooks.api.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import dev.git.webhooks.api.edge.HttpEdge;
import dev.git.webhooks.testing.Api;

/**
 * The hand-written hostile cases, for every operation: hostile ids, each query parameter and each body field with
 * NUL, huge, wrong-typed and out-of-range values, every malformed body, every wrong method on its path, and the
 * requests over the API's size limits.
 */
record RouteCases(Random random, Fixtures fixtures, List<Operation> operations) {

    private static final List<String> IDS = List.of("%00", "a%00b", "a".repeat(65), "%2F", "..", "%C3%A9",
            "wh_zzzzzzzzzzzzzzzzzzzzzz", "dlv_zzzzzzzzzzzzzzzzzzzz", "%27%20OR%201%3D1");
    private static final List<String> TIMES = List.of("0000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
            "-4714-01-01T00:00:00Z", "+294277-01-01T00:00:00Z", "2025-13-45T25:61:61Z", "9999-12-31T23:59:59Z",
            "0001-01-01T00:00:00Z", "2025-01-20T14:35:22.123456789+23:59", "x");

    /** Bodies that are not one JSON object in UTF-8. */
    static List<byte[]> badBodies() {
        List<byte[]> bodies = new ArrayList<>();
        for (String text : List.of("", "null", "[]", "\"s\"", "1", "{", "{\"a\":", "{\"a\":1}{\"x\":1}", "{} x",
                "{}{}", "{\"a\":1,\"a\":2}", "{'a':1}", "{a:1}", "{\"a\":01}", "{\"a\":NaN}", "{\"a\":\"\u0000\"}",
                "\uFEFF{}", Hostile.deep(5000, false), Hostile.deep(5000, true), "{\"a\":" + "9".repeat(2000) + "}")) {
            bodies.add(text.getBytes(StandardCharsets.UTF_8));
        }
        bodies.add("{\"a\":1}".getBytes(StandardCharsets.UTF_16));
        bodies.add("{\"a\":1}".getBytes(StandardCharsets.UTF_16LE));
        bodies.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'});
        bodies.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xF5, (byte) 0x80, '"', '}'});
        bodies.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'});
        return bodies;
    }

    List<FuzzCases.Case> all() {
        List<FuzzCases.Case> cases = new ArrayList<>();
        Set<String> templates = operations.stream().map(Operation::template).collect(Collectors.toSet());
        for (Operation op : operations) {
            String auth = "Bearer " + (op.admin() ? Api.ADMIN_KEY : fixtures.owner(random).key());
            String path = op.path(fixtures.realId(op.template(), random));
            for (String id : IDS) {
                add(cases, op, "id " + id, op.method(), op.path(id), auth, null, null);
            }
            for (String name : op.query()) {
                for (String value : List.of("%00", "a%00", "a".repeat(3000), "-1", "99999999999999999999")) {
                    add(cases, op, name + "=" + value, op.method(), path + "?" + name + "=" + value, auth, null, null);
                }
                if (name.equals("since") || name.equals("until")) {
                    TIMES.forEach(t -> add(cases, op, name + " " + t, op.method(), path + "?" + name + "="
                            + Operation.encode(t), auth, null, null));
                }
            }
            for (byte[] body : badBodies()) {
                add(cases, op, "bad body", op.method(), path, auth, "application/json", body);
            }
            for (String field : op.fields()) {
                for (String value : List.of("\"a\\u0000b\"", "{}", "[{}]", "\"" + "x".repeat(100_000) + "\"",
                        "-1", "1e400", "9223372036854775808", "[\"\\u0000\"]", "\"\\ud800\"")) {
                    add(cases, op, field + " " + value.substring(0, Math.min(12, value.length())), op.method(),
                            path, auth, "application/json", ("{\"" + field + "\":" + value + "}").getBytes(
                                    StandardCharsets.UTF_8));
                }
                if (field.equals("since") || field.equals("until")) {
                    TIMES.forEach(t -> add(cases, op, field + " " + t, op.method(), path, auth, "application/json",
                            ("{\"dry_run\":true,\"" + field + "\":\"" + t + "\"}").getBytes(StandardCharsets.UTF_8)));
                }
            }
            for (String type : Hostile.CONTENT_TYPES) {
                add(cases, op, "type " + type, op.method(), path, auth, type.isEmpty() ? null : type,
                        "{}".getBytes(StandardCharsets.UTF_8));
            }
            for (String method : FuzzCases.METHODS) {
                add(cases, op, "method " + method, method, path, auth, null, null);
            }
            add(cases, op, "no key", op.method(), path, null, null, null);
            add(cases, op, "414", op.method(), path + "?cursor=" + "c".repeat(HttpEdge.MAX_URI), auth, null, null);
        }
        cases.addAll(limits(templates.size()));
        return cases;
    }

    /** Requests over the API's limits on the header fields and the body (declared, and chunked). */
    private List<FuzzCases.Case> limits(int times) {
        List<FuzzCases.Case> cases = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            cases.add(new FuzzCases.Case(null, "431", ("GET /v2/webhooks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "X-Pad: " + "p".repeat(HttpEdge.MAX_HEADER_BYTES) + "\r\n\r\n").getBytes(
                            StandardCharsets.ISO_8859_1), false));
            cases.add(new FuzzCases.Case(null, "413 declared", ("POST /v2/webhooks HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\nContent-Type: application/json\r\nContent-Length: 1048577\r\n\r\n{")
                    .getBytes(StandardCharsets.ISO_8859_1), false));
        }
        byte[] big = ("{\"description\":\"" + "d".repeat(1 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        chunked.writeBytes(("PATCH /v2/webhooks/" + fixtures.realId("/v2/webhooks", random) + " HTTP/1.1\r\n"
                + "Host: x\r\nConnection: close\r\nAuthorization: Bearer " + fixtures.owner(random).key()
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(big.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        chunked.writeBytes(big);
        chunked.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        cases.add(new FuzzCases.Case(null, "413 chunked", chunked.toByteArray(), false));
        return cases;
    }

    private static void add(List<FuzzCases.Case> cases, Operation op, String what, String method, String target,
            String auth, String type, byte[] body) {
        cases.add(new FuzzCases.Case(op.label(), op.label() + " [" + what + "]",
                Operation.raw(method, target, auth, type, body), method.equals("HEAD")));
    }
}
