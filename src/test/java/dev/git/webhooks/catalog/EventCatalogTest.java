package dev.git.webhooks.catalog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.git.webhooks.subscription.EventTypes;

/** The catalog is complete, and each entry is consistent: its example conforms, its schema says what it checks. */
class EventCatalogTest {

    private final EventCatalog catalog = new EventCatalog();

    @Test
    void listsThePlatformTypesPingAndTheSystemTypes() {
        assertThat(catalog.names(EventType.Kind.PLATFORM), equalTo(EventTypes.ALL));
        assertThat(catalog.names(EventType.Kind.PING), equalTo(List.of(EventTypes.PING)));
        assertThat(catalog.names(EventType.Kind.SYSTEM),
                equalTo(List.of("endpoint.disabled", "endpoint.enabled", "delivery.exhausted")));
    }

    @Test
    void everyExampleIsAnEventOfItsTypeWhoseDataConforms() {
        for (EventType type : catalog.all()) {
            JsonNode example = type.example();
            assertThat(type.name(), example.path("event").asText(), equalTo(type.name()));
            for (String field : List.of("id", "timestamp", "owner")) {
                assertThat(type.name() + " example has " + field, example.path(field).isTextual(), equalTo(true));
            }
            assertThat(type.name(), DataSchema.validate(type.schema(), example.path("data"), "$.data"), empty());
        }
    }

    @Test
    void schemasUseOnlyCheckedKeywordsAndDescribeEveryField() {
        List<String> problems = new ArrayList<>();
        for (EventType type : catalog.all()) {
            assertThat(type.name() + " has a description", type.description().isBlank(), equalTo(false));
            assertThat(type.name() + " data is an object", type.schema().path("type").asText(), equalTo("object"));
            inspect(type.name(), type.schema(), false, problems);
        }
        assertThat(problems, empty());
    }

    private static void inspect(String at, JsonNode schema, boolean field, List<String> problems) {
        for (Iterator<String> names = schema.fieldNames(); names.hasNext();) {
            String keyword = names.next();
            if (!DataSchema.KEYWORDS.contains(keyword) && !DataSchema.ANNOTATIONS.contains(keyword)) {
                problems.add(at + ": '" + keyword + "' is not checked by DataSchema");
            }
        }
        if (field && schema.path("description").asText().isBlank()) {
            problems.add(at + ": no description");
        }
        schema.path("properties").fields()
                .forEachRemaining(p -> inspect(at + "." + p.getKey(), p.getValue(), true, problems));
        if (schema.has("items")) {
            inspect(at + "[]", schema.get("items"), false, problems);
        }
    }
}
