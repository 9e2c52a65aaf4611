package dev.git.webhooks.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EventValidatorTest {

    private static final String VALID = "{\"event\":\"deploy.success\",\"id\":\"evt_2k91x\","
            + "\"timestamp\":\"2025-01-20T14:35:22Z\",\"owner\":\"acme\",\"repo\":\"acme/backend-api\","
            + "\"data\":{\"deployment_id\":\"dep_7x92m\"}}";

    private final EventValidator validator = new EventValidator(1024);

    @Test
    void readsTheEnvelopeOfAValidEvent() throws Exception {
        EventValidator.Verdict verdict = validator.validate("deploy.success", bytes(VALID));
        assertTrue(verdict.valid());
        assertEquals(new EventValidator.Envelope("evt_2k91x", "deploy.success", "acme", "acme/backend-api",
                Instant.parse("2025-01-20T14:35:22Z"), new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(VALID)), verdict.envelope(), "with the event as parsed, for the checks after");
    }

    @Test
    void acceptsPrefixedTopicsAndOffsets() {
        String withOffset = VALID.replace("2025-01-20T14:35:22Z", "2025-01-20T16:35:22.5+02:00");
        EventValidator.Verdict verdict = validator.validate("prod.deploy.success", bytes(withOffset));
        assertTrue(verdict.valid());
        assertEquals(Instant.parse("2025-01-20T14:35:22.5Z"), verdict.envelope().occurredAt());
        assertTrue(validator.validate("deploy.success", bytes(VALID.replace(",\"repo\":\"acme/backend-api\"", "")))
                .valid());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "deploy.success|                                                          |empty",
            "deploy.success|{\"event\":                                               |invalid_json",
            "deploy.success|\"just a string\"                                         |invalid_json",
            "deploy.success|{\"event\":\"deploy.success\"}                            |missing_field",
            "deploy.failed |VALID                                                     |topic_mismatch"})
    void refusesBadRecords(String topic, String value, String reason) {
        String body = value == null ? "" : value.equals("VALID") ? VALID : value;
        EventValidator.Verdict verdict = validator.validate(topic.trim(), bytes(body));
        assertFalse(verdict.valid());
        assertEquals(reason, verdict.rejection().reason());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"event\":\"deploy.success\"|\"event\":\"deploy.started\"|unknown_event_type",
            "\"event\":\"deploy.success\"|\"event\":7|unknown_event_type",
            "\"id\":\"evt_2k91x\"|\"id\":\"evt 2k91x\"|invalid_field",
            "\"id\":\"evt_2k91x\"|\"id\":\"" + "a" + "\",\"id\":\"b\"|invalid_json",
            "\"timestamp\":\"2025-01-20T14:35:22Z\"|\"timestamp\":\"2025-01-20\"|invalid_field",
            "\"timestamp\":\"2025-01-20T14:35:22Z\"|\"timestamp\":\"2025-01-20T14:35:22\"|invalid_field",
            "\"owner\":\"acme\"|\"owner\":\"\"|invalid_field",
            "\"repo\":\"acme/backend-api\"|\"repo\":\"backend-api\"|invalid_field",
            "\"data\":{\"deployment_id\":\"dep_7x92m\"}|\"data\":\"x\"|invalid_field"})
    void namesTheFieldThatIsWrong(String from, String to, String reason) {
        EventValidator.Verdict verdict = validator.validate("deploy.success", bytes(VALID.replace(from, to)));
        assertFalse(verdict.valid());
        assertEquals(reason, verdict.rejection().reason());
    }

    @Test
    void refusesRecordsOverTheLimit() {
        String big = VALID.replace("dep_7x92m", "x".repeat(2000));
        assertEquals("too_large", validator.validate("deploy.success", bytes(big)).rejection().reason());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0000-01-20T14:35:22Z", "-0001-01-20T14:35:22Z", "+2025-01-20T14:35:22Z", "10000-01-20T14:35:22Z",
            "0001-01-01T00:30:00+01:00", "1969-12-31T23:59:59Z", "1970-01-01T00:30:00+01:00",
            "9999-12-31T23:59:59.9999995Z", "9999-12-31T23:00:00-01:00", "2025-01-20T14:35:22+01:00:00",
            "2025-01-20T14:35:22+0100", "2025-01-20T14:35:22+01", "2025-01-20 14:35:22Z", "2025-01-20T14:35Z",
            "2025-02-30T14:35:22Z", "2025-01-20T24:00:00Z", "2025-01-20T14:35:60Z", "2025-01-20T14:35:22.Z",
            "2025-01-20T14:35:22.1234567891Z", "2025-01-20T14:35:22+24:00", "2025-01-20T14:35:22+01:60",
            "\uff12\uff10\uff12\uff15-01-20T14:35:22Z", "'2025-01-20T14:35:22Z '", "20250120T143522Z"})
    void refusesTimestampsThatAreNotStrictRfc3339InRange(String timestamp) {
        EventValidator.Verdict verdict = validator.validate("deploy.success",
                bytes(VALID.replace("2025-01-20T14:35:22Z", timestamp)));
        assertFalse(verdict.valid(), timestamp);
        assertEquals("invalid_field", verdict.rejection().reason());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1970-01-01T00:00:00Z|1970-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999Z|9999-12-31T23:59:59.999999Z",
            "1970-01-01T01:00:00+01:00|1970-01-01T00:00:00Z",
            "9999-12-31T22:59:59-01:00|9999-12-31T23:59:59Z",
            "2025-01-20t14:35:22z|2025-01-20T14:35:22Z",
            "2025-01-20T14:35:22.123456789-00:00|2025-01-20T14:35:22.123456789Z",
            "2025-01-20T14:35:22+23:59|2025-01-19T14:36:22Z",
            "2024-02-29T00:00:00Z|2024-02-29T00:00:00Z"})
    void acceptsEveryRfc3339FormInRange(String timestamp, String instant) {
        EventValidator.Verdict verdict = validator.validate("deploy.success",
                bytes(VALID.replace("2025-01-20T14:35:22Z", timestamp)));
        assertTrue(verdict.valid(), timestamp);
        assertEquals(Instant.parse(instant), verdict.envelope().occurredAt());
    }

    @Test
    void refusesEveryEncodingButUtf8WithoutBom() {
        byte[] utf8 = bytes(VALID);
        List<byte[]> refused = List.of(
                concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, utf8),
                VALID.getBytes(StandardCharsets.UTF_16BE), VALID.getBytes(StandardCharsets.UTF_16LE),
                VALID.getBytes(StandardCharsets.UTF_16), concat(new byte[] {(byte) 0xff, (byte) 0xfe},
                        VALID.getBytes(StandardCharsets.UTF_16LE)),
                VALID.getBytes(Charset.forName("UTF-32BE")), VALID.getBytes(Charset.forName("UTF-32LE")),
                concat(new byte[] {0, 0, (byte) 0xfe, (byte) 0xff}, VALID.getBytes(Charset.forName("UTF-32BE"))));
        for (byte[] value : refused) {
            assertEquals("invalid_encoding", validator.validate("deploy.success", value).rejection().reason());
        }
    }

    @ParameterizedTest
    @CsvSource({"f5", "ff", "c0af", "c1bf", "e080af", "e09fbf", "f08fbfbf", "f4908080", "eda080", "edbfbf", "c3",
            "e282", "80", "fe"})
    void refusesInvalidUtf8InsideStrings(String hex) {
        String template = VALID.replace("dep_7x92m", "dep_@");
        byte[] value = bytes(template);
        int at = template.indexOf('@');
        byte[] spliced = concat(concat(Arrays.copyOf(value, at), HexFormat.of().parseHex(hex)),
                Arrays.copyOfRange(value, at + 1, value.length));
        assertEquals("invalid_encoding", validator.validate("deploy.success", spliced).rejection().reason(), hex);
    }

    @Test
    void acceptsNonAsciiUtf8InData() {
        assertTrue(validator.validate("deploy.success",
                bytes(VALID.replace("dep_7x92m", "d\\u00e9p \u00e9\u20ac\ud83d\ude80"))).valid());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"id\":\"evt_2k91x\"|\"id\":\"evt\\u0000\"|invalid_field",
            "\"owner\":\"acme\"|\"owner\":\"ac\\u0000me\"|invalid_field",
            "\"repo\":\"acme/backend-api\"|\"repo\":\"acme/backend\\u0000\"|invalid_field",
            "\"event\":\"deploy.success\"|\"event\":\"deploy.success\\u0000\"|unknown_event_type",
            "\"timestamp\":\"2025-01-20T14:35:22Z\"|\"timestamp\":\"2025-01-20T14:35:22Z\\u0000\"|invalid_field"})
    void refusesNulInFieldsThatReachTextColumns(String from, String to, String reason) {
        EventValidator.Verdict verdict = validator.validate("deploy.success", bytes(VALID.replace(from, to)));
        assertEquals(reason, verdict.rejection().reason());
    }

    @Test
    void refusesARawNulByteAnywhere() {
        String template = VALID.replace("dep_7x92m", "dep_@");
        byte[] value = bytes(template);
        value[template.indexOf('@')] = 0;
        assertEquals("invalid_encoding", validator.validate("deploy.success", value).rejection().reason());
    }

    @Test
    void refusesNestingDeeperThanTheParserAllows() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertEquals("invalid_json", new EventValidator(1 << 20).validate("deploy.success",
                bytes(VALID.replace("\"dep_7x92m\"", deep))).rejection().reason());
        String allowed = "[".repeat(900) + "]".repeat(900);
        assertTrue(new EventValidator(1 << 20).validate("deploy.success",
                bytes(VALID.replace("\"dep_7x92m\"", allowed))).valid());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
