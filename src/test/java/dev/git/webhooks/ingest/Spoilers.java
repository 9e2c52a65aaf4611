package dev.git.webhooks.ingest;

import static dev.git.webhooks.ingest.FuzzCorpus.ascii;
import static dev.git.webhooks.ingest.FuzzCorpus.concat;
import static dev.git.webhooks.ingest.FuzzCorpus.replace;
import static dev.git.webhooks.ingest.FuzzCorpus.sample;
import static dev.git.webhooks.ingest.FuzzCorpus.utf8;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import dev.git.webhooks.ingest.FuzzCorpus.Sample;

/** The ways a valid ASCII event is spoiled, each with the reason the service must give. */
final class Spoilers {

    private final Random random;

    Spoilers(Random random) {
        this.random = random;
    }

    List<Function<Sample, Sample>> kinds() {
        return List.of(this::badTimestamp, this::otherEncoding, this::invalidUtf8, this::nul, this::truncated,
                this::notAnObject, this::wrongType, this::missingOrNull, this::mismatch, this::badField,
                this::notStrictJson, this::deepOrDuplicate, this::empty);
    }

    private Sample badTimestamp(Sample base) {
        String bad = pick(List.of("0000-01-20T14:35:22Z", "-0001-01-20T14:35:22Z", "10000-01-20T14:35:22Z",
                "+2025-01-20T14:35:22Z", "0001-01-01T00:30:00+01:00", "2025-01-20T14:35:22+01:00:00",
                "1969-12-31T23:59:59Z", "9999-12-31T23:00:00-01:00", "2025-02-30T14:35:22Z", "2025-01-20T24:00:00Z",
                "2025-01-20T14:35:60Z", "2025-01-20T14:35:22", "2025-01-20 14:35:22Z", "-292275055-05-16T16:47:04Z",
                "+292278994-08-17T07:12:55Z", "2025-01-20T14:35:22+99:00"));
        return sample("timestamp " + bad, base, replace(base, "2025-01-20T14:35:22Z", bad), "invalid_field");
    }

    private Sample otherEncoding(Sample base) {
        String text = new String(base.value(), StandardCharsets.UTF_8);
        String charset = pick(List.of("UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE", "UTF-32LE", "UTF-8-BOM",
                "UTF-32BE-BOM", "UTF-16LE-BOM"));
        byte[] value = switch (charset) {
            case "UTF-8-BOM" -> concat(HexFormat.of().parseHex("efbbbf"), base.value());
            case "UTF-32BE-BOM" -> concat(HexFormat.of().parseHex("0000feff"), text.getBytes(Charset.forName("UTF-32BE")));
            case "UTF-16LE-BOM" -> concat(HexFormat.of().parseHex("fffe"), text.getBytes(StandardCharsets.UTF_16LE));
            default -> text.getBytes(Charset.forName(charset));
        };
        return sample("encoding " + charset, base, value, "invalid_encoding");
    }

    private Sample invalidUtf8(Sample base) {
        String hex = pick(List.of("f5", "f8", "fc", "fe", "ff", "c0af", "c1bf", "e080af", "e09fbf", "f08fbfbf",
                "f4908080", "f7bfbfbf", "eda080", "edbfbf", "edb080", "c3", "e282", "80", "bf"));
        String text = ascii(base).replace("\"data\":{}", "\"data\":{\"s\":\"a@b\"}");
        int at = text.indexOf('@');
        byte[] value = concat(concat(Arrays.copyOf(utf8(text), at), HexFormat.of().parseHex(hex)),
                utf8(text.substring(at + 1)));
        return sample("utf-8 " + hex, base, value, "invalid_encoding");
    }

    private Sample nul(Sample base) {
        return switch (random.nextInt(5)) {
            case 0 -> {
                byte[] value = replace(base, "\"data\":{", "\"data\":{\"s\":\"a@b\",");
                value[new String(value, StandardCharsets.UTF_8).indexOf('@')] = 0;
                yield sample("nul raw", base, value, "invalid_encoding");
            }
            case 1 -> sample("nul id", base, replace(base, "\"id\":\"", "\"id\":\"\\u0000"), "invalid_field");
            case 2 -> sample("nul owner", base, replace(base, "\"owner\":\"", "\"owner\":\"\\u0000"), "invalid_field");
            case 3 -> sample("nul repo", base, replace(base, "\"owner\":", "\"repo\":\"a/\\u0000\",\"owner\":"),
                    "invalid_field");
            default -> sample("nul event", base, replace(base, "\"event\":\"" + base.topic(),
                    "\"event\":\"" + base.topic() + "\\u0000"), "unknown_event_type");
        };
    }

    private Sample truncated(Sample base) {
        return sample("truncated", base, Arrays.copyOf(base.value(), 1 + random.nextInt(base.value().length - 2)),
                "invalid_json");
    }

    private Sample notAnObject(Sample base) {
        String value = pick(List.of("[1,2,3]", "\"just a string\"", "42", "true", "null", "[" + ascii(base) + "]",
                "   ", "{}"));
        return sample("non-object " + value.length(), base, utf8(value),
                value.equals("{}") ? "missing_field" : "invalid_json");
    }

    private Sample wrongType(Sample base) {
        return switch (random.nextInt(6)) {
            case 0 -> sample("id number", base, replace(base, "\"id\":\"" + id(base) + "\"", "\"id\":7"), "invalid_field");
            case 1 -> sample("owner array", base, replace(base, "\"owner\":\"", "\"owner\":[\"x\"],\"o\":\""),
                    "invalid_field");
            case 2 -> sample("data string", base, replace(base, "\"data\":{}", "\"data\":\"x\""), "invalid_field");
            case 3 -> sample("event number", base, replace(base, "\"event\":\"" + base.topic() + "\"", "\"event\":3"),
                    "unknown_event_type");
            case 4 -> sample("repo number", base, replace(base, "\"owner\":", "\"repo\":5,\"owner\":"), "invalid_field");
            default -> sample("timestamp number", base, replace(base, "\"2025-01-20T14:35:22Z\"", "1737383722"),
                    "invalid_field");
        };
    }

    private Sample missingOrNull(Sample base) {
        String field = pick(List.of("event", "id", "timestamp", "owner", "data"));
        String text = ascii(base);
        int start = text.indexOf("\"" + field + "\":");
        int end = field.equals("data") ? text.length() - 1 : text.indexOf(',', start) + 1;
        boolean asNull = random.nextBoolean();
        String json = field.equals("data")
                ? text.substring(0, start - 1) + (asNull ? ",\"data\":null" : "") + "}"
                : text.substring(0, start) + (asNull ? "\"" + field + "\":null," : "") + text.substring(end);
        return sample((asNull ? "null " : "missing ") + field, base, utf8(json), "missing_field");
    }

    private Sample mismatch(Sample base) {
        boolean unknown = random.nextInt(3) == 0;
        String type = unknown ? pick(List.of("ping", "repo.pull", "REPO.PUSH", "")) : other(base.topic());
        return sample(unknown ? "unknown type" : "topic mismatch", base,
                replace(base, "\"event\":\"" + base.topic() + "\"", "\"event\":\"" + type + "\""),
                unknown ? "unknown_event_type" : "topic_mismatch");
    }

    private Sample badField(Sample base) {
        return switch (random.nextInt(4)) {
            case 0 -> sample("id chars", base, replace(base, "\"id\":\"", "\"id\":\"bad id!"), "invalid_field");
            case 1 -> sample("id long", base, replace(base, "\"id\":\"", "\"id\":\"" + "x".repeat(64)), "invalid_field");
            case 2 -> sample("owner", base, replace(base, "\"owner\":\"", "\"owner\":\"-"), "invalid_field");
            default -> sample("repo", base, replace(base, "\"owner\":", "\"repo\":\"norepo\",\"owner\":"), "invalid_field");
        };
    }

    private Sample notStrictJson(Sample base) {
        String text = ascii(base);
        String json = switch (random.nextInt(5)) {
            case 0 -> text + text;
            case 1 -> text.replace("\"data\":{}", "\"data\":{\"n\":NaN}");
            case 2 -> text.replace("\"data\":{}", "\"data\":{'n':1}");
            case 3 -> text.replace("\"data\":{}", "\"data\":{\"n\":007}");
            default -> text.replace("\"data\":{}", "\"data\":{/* c */}");
        };
        return sample("not strict json", base, utf8(json), "invalid_json");
    }

    private Sample deepOrDuplicate(Sample base) {
        if (random.nextBoolean()) {
            int depth = 1001 + random.nextInt(6_000);
            return sample("deep " + depth, base, replace(base, "\"data\":{}",
                    "\"data\":{\"d\":" + "[".repeat(depth) + "]".repeat(depth) + "}"), "invalid_json");
        }
        String field = pick(List.of("id", "event", "owner", "data"));
        return sample("duplicate " + field, base, replace(base, "{\"event\"", "{\"" + field + "\":\"x\",\"event\""),
                "invalid_json");
    }

    private Sample empty(Sample base) {
        return sample("empty", base, random.nextBoolean() ? new byte[0] : null, "empty");
    }

    private static String id(Sample base) {
        String text = ascii(base);
        int start = text.indexOf("\"id\":\"") + 6;
        return text.substring(start, text.indexOf('"', start));
    }

    private String other(String topic) {
        List<String> others = new ArrayList<>(FuzzCorpus.TYPES);
        others.remove(topic);
        return pick(others);
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
