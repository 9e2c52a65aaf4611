package dev.git.webhooks.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Records a hostile or careless producer would write, each with the reason the service must give when it refuses
 * it (or none for a valid event). Seeded: the same seed makes the same records, except for the run's id prefix.
 */
final class FuzzCorpus {

    /** A record to publish: its topic, key, value, and the reason expected in the DLQ (null: valid). */
    record Sample(String kind, String topic, byte[] key, byte[] value, String reason) {
    }

    static final List<String> TYPES = List.of("repo.push", "deploy.success", "deploy.failed", "pr.merged");

    private final Random random;
    private final String run;
    private final List<String> owners;
    private final Spoilers spoilers;
    private int serial;

    FuzzCorpus(long seed, String run, List<String> owners) {
        this.random = new Random(seed);
        this.run = run;
        this.owners = owners;
        this.spoilers = new Spoilers(random);
    }

    /** A valid event of one of the owners; some use the edges of what is allowed. */
    Sample valid() {
        String type = pick(TYPES);
        String owner = pick(owners);
        String timestamp = pick(List.of("2025-01-20T14:35:22Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z",
                "2025-01-20t14:35:22.123456789z", "2025-01-20T14:35:22+23:59", "2025-01-20T14:35:22-00:00"));
        String data = pick(List.of("{\"n\":" + random.nextInt(1000) + "}", "{\"text\":\"caf\u00e9 \u20ac \ud83d\ude80\"}",
                "{\"escaped\":\"a\\u0000b\\ud83d\\ude80\"}", "{\"deep\":" + "[".repeat(50) + "]".repeat(50) + "}",
                "{}"));
        String repo = random.nextBoolean() ? ",\"repo\":\"" + owner + "/r" + random.nextInt(5) + "\"" : "";
        String json = "{\"event\":\"" + type + "\",\"id\":\"" + nextId() + "\",\"timestamp\":\"" + timestamp
                + "\",\"owner\":\"" + owner + "\"" + repo + ",\"data\":" + data + "}";
        return new Sample("valid", type, utf8(owner), utf8(json), null);
    }

    /** The {@code i}-th malformed record: every kind in turn, its details drawn at random. */
    Sample malformed(int i) {
        return spoilers.kinds().get(i % spoilers.kinds().size()).apply(ascii());
    }

    /** Over the service's limit ({@code max-event-bytes}) but well within the broker's. */
    Sample oversized(int bytes) {
        Sample base = ascii();
        String json = new String(base.value(), StandardCharsets.UTF_8).replace("\"data\":{",
                "\"data\":{\"pad\":\"" + "x".repeat(bytes) + "\",");
        return sample("oversized", base, utf8(json), "too_large");
    }

    /** A valid, ASCII-only event (cut anywhere, it stays valid UTF-8) to spoil. */
    private Sample ascii() {
        String type = pick(TYPES);
        String owner = pick(owners);
        String json = "{\"event\":\"" + type + "\",\"id\":\"" + nextId() + "\",\"timestamp\":\"2025-01-20T14:35:22Z\","
                + "\"owner\":\"" + owner + "\",\"data\":{}}";
        return new Sample("base", type, utf8(owner), utf8(json), null);
    }

    static Sample sample(String kind, Sample base, byte[] value, String reason) {
        return new Sample(kind, base.topic(), base.key(), value, reason);
    }

    private String nextId() {
        return "evt_fz" + run + "_" + serial++;
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static String ascii(Sample s) {
        return new String(s.value(), StandardCharsets.UTF_8);
    }

    static byte[] replace(Sample base, String from, String to) {
        return utf8(ascii(base).replace(from, to));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
