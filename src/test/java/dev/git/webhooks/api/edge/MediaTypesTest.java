package dev.git.webhooks.api.edge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class MediaTypesTest {

    @Test
    void jsonInUtf8IsJson() {
        for (String type : List.of("application/json", "Application/JSON", "application/json; charset=utf-8",
                "application/json;charset=\"UTF-8\"", "application/json; charset=utf8; q=1")) {
            assertTrue(MediaTypes.isJson(type), type);
        }
    }

    @Test
    void anythingElseIsNot() {
        for (String type : List.of("", "text/plain", "application/jsonx", "application/merge-patch+json",
                "application/json; charset=utf-16", "application/json; charset=", "application/json;charset",
                "multipart/form-data; boundary=x", "*/*", "application/json/x", ";;;")) {
            assertFalse(MediaTypes.isJson(type), type);
        }
        assertFalse(MediaTypes.isJson(null));
    }
}
