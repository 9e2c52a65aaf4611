package dev.git.webhooks.catalog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class DataSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = """
            {"type":"object","required":["id","at"],"additionalProperties":false,
             "properties":{"id":{"type":"string"},"at":{"type":"string","format":"date-time"},
              "url":{"type":"string","format":"uri"},"n":{"type":"integer","minimum":0},
              "reason":{"type":"string","enum":["gone","failing"]},"status":{"type":["integer","null"]},
              "items":{"type":"array","items":{"type":"object","required":["k"],"properties":{"k":{"type":"string"}}}},
              "meta":{"type":"object","additionalProperties":{"type":"string"}}}}""";

    @Test
    void acceptsAConformingValue() {
        assertThat(violations("""
                {"id":"a","at":"2025-01-20T14:35:22Z","url":"https://x.dev/a","n":2.0,"reason":"gone","status":null,
                 "items":[{"k":"v"}],"meta":{"a":"b"}}"""), empty());
    }

    @Test
    void namesMissingRequiredFields() {
        assertThat(violations("{}"), contains("$.id required", "$.at required"));
    }

    @Test
    void refusesWrongTypesAndSaysNoMoreAboutThem() {
        assertThat(violations("{\"id\":1,\"at\":\"2025-01-20T14:35:22Z\",\"n\":1.5,\"status\":\"x\"}"),
                contains("$.id type", "$.n type", "$.status type"));
    }

    @Test
    void checksEnumMinimumAndFormats() {
        assertThat(violations("{\"id\":\"a\",\"at\":\"2025-01-20\",\"url\":\"/relative\",\"n\":-1,\"reason\":\"x\"}"),
                contains("$.at format", "$.url format", "$.n minimum", "$.reason enum"));
    }

    @Test
    void refusesUnknownFieldsWhenTheSchemaSaysSo() {
        assertThat(violations("{\"id\":\"a\",\"at\":\"2025-01-20T14:35:22Z\",\"extra\":true}"),
                contains("$.extra additionalProperties"));
    }

    @Test
    void checksArrayItemsAndAdditionalPropertySchemas() {
        assertThat(violations("{\"id\":\"a\",\"at\":\"2025-01-20T14:35:22Z\",\"items\":[{\"k\":\"v\"},{}],"
                + "\"meta\":{\"a\":1}}"), contains("$.items[1].k required", "$.meta.a type"));
    }

    @Test
    void stopsAtTenViolations() {
        StringBuilder value = new StringBuilder("{\"id\":\"a\",\"at\":\"2025-01-20T14:35:22Z\"");
        for (int i = 0; i < 50; i++) {
            value.append(",\"x").append(i).append("\":1");
        }
        assertThat(DataSchema.validate(node(SCHEMA), node(value + "}"), "$").size(), is(10));
    }

    private static List<String> violations(String value) {
        return DataSchema.validate(node(SCHEMA), node(value), "$").stream().map(v -> v.path() + " " + v.rule())
                .toList();
    }

    private static JsonNode node(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
