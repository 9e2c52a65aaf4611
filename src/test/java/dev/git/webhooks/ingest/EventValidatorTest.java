package dev.git.webhooks.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EventValidatorTest {

    private static final String VALID = "{\"event\":\"deploy.success\",\"id\":\"evt_2k91x\","
            + "\"timestamp\":\"2025-01-20T14:35:22Z\",\"owner\":\"acme\",\"repo\":\"acme/backend-api\","
            + "\"data\":{\"deployment_id\":\"dep_7x92m\"}}";

    private final EventValidator validator = new EventValidator(1024);

    @Test
    void readsTheEnvelopeOfAValidEvent() {
        EventValidator.Verdict verdict = validator.validate("deploy.success", bytes(VALID));
        assertTrue(verdict.valid());
        assertEquals(new EventValidator.Envelope("evt_2k91x", "deploy.success", "acme", "acme/backend-api",
                Instant.parse("2025-01-20T14:35:22Z")), verdict.envelope());
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

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
