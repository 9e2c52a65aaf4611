package dev.git.webhooks.subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An ordering key's value fits PostgreSQL's index on it whatever the event holds: a value longer than 200 characters
 * is kept as its SHA-256, so that equal values still share a key and different ones do not.
 */
class OrderKeysTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final DeliveryControls.OrderKey key = DeliveryControls.OrderKey.of("/data/deployment");

    @Test
    void aLongValueIsKeptAsItsHashEqualValuesAlikeDifferentOnesApart() {
        String longer = "x".repeat(3_000);
        String value = key.valueFor("acme", null, "deploy.success", event(longer));
        assertTrue(value.startsWith("sha256:"), value);
        assertEquals(7 + 64, value.length());
        assertEquals(value, key.valueFor("acme", null, "deploy.success", event(longer)));
        assertNotEquals(value, key.valueFor("acme", null, "deploy.success", event(longer + "y")));
        String limit = "z".repeat(DeliveryControls.OrderKey.LONGEST_VALUE);
        assertEquals(limit, key.valueFor("acme", null, "deploy.success", event(limit)), "up to the limit, as it is");
        assertEquals("", key.valueFor("acme", null, "deploy.success", JSON.createObjectNode()),
                "absent: the empty key");
    }

    private static JsonNode event(String deployment) {
        ObjectNode event = JSON.createObjectNode();
        event.putObject("data").put("deployment", deployment);
        return event;
    }
}
