package dev.git.webhooks.api.docs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Every value that the served document offers in an {@code enum} is one that its route takes: a generated client or
 * a form built from the document never sends a value the service refuses. Each body field's values are sent in the
 * operation's own example body (so that the other fields are valid and the route really reads this one), each query
 * parameter's values alone.
 */
@QuarkusTest
class DocumentedValuesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String URL = "http://127.0.0.1:9/documented-values";

    private Api.Owner owner;
    private String webhook;
    private String operator;

    @BeforeEach
    void owner() {
        owner = Api.newOwner();
        operator = Api.newOperatorKey(List.of("ops:read"));
        webhook = Api.createWebhook(owner, Map.of("url", URL, "events", List.of("*")));
    }

    @Test
    void everyEnumValueOfARequestBodyIsTaken() throws Exception {
        JsonNode doc = served();
        List<String> checked = new ArrayList<>();
        for (Operation op : operations(doc)) {
            JsonNode media = op.node().at("/requestBody/content/application~1json");
            JsonNode schema = resolve(doc, media.path("schema"));
            for (Map.Entry<String, JsonNode> property : fields(schema.path("properties"))) {
                JsonNode values = enumOf(property.getValue());
                for (JsonNode value : values) {
                    ObjectNode body = example(media);
                    body.set(property.getKey(), property.getValue().at("/items").isMissingNode() ? value
                            : JSON.createArrayNode().add(value));
                    Response answer = call(op, body);
                    assertThat(op + " with " + body + ": " + answer.asString(), answer.statusCode(), lessThan(300));
                }
                if (!values.isEmpty()) {
                    checked.add(op.path() + "." + property.getKey());
                }
            }
        }
        assertThat(checked, hasItems("/v2/replays.status", "/v2/webhooks/{id}/replay.status", "/v2/api-keys.plan"));
    }

    @Test
    void everyEnumValueOfAQueryParameterIsTaken() throws Exception {
        JsonNode doc = served();
        List<String> checked = new ArrayList<>();
        for (Operation op : operations(doc)) {
            for (JsonNode parameter : op.node().path("parameters")) {
                if (!"query".equals(parameter.path("in").asText())) {
                    continue;
                }
                for (JsonNode value : enumOf(parameter.path("schema"))) {
                    Response answer = request(op).queryParam(parameter.path("name").asText(), value.asText())
                            .request(op.method(), op.path().replace("{id}", webhook));
                    assertThat(op + "?" + parameter.path("name").asText() + "=" + value.asText() + ": "
                            + answer.asString(), answer.statusCode(), lessThan(300));
                    checked.add(op.path() + "?" + parameter.path("name").asText());
                }
            }
        }
        assertThat(checked, hasItems("/v2/webhooks/{id}/deliveries?status", "/v2/ops/deliveries?status",
                "/v2/ops/endpoints?state", "/v2/ops/dead-letters?state"));
    }

    private record Operation(String method, String path, JsonNode node) {
        @Override
        public String toString() {
            return method.toUpperCase() + " " + path;
        }
    }

    private static JsonNode served() throws Exception {
        return JSON.readTree(Management.given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
    }

    private static List<Operation> operations(JsonNode doc) {
        List<Operation> ops = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : fields(doc.path("paths"))) {
            if (path.getKey().startsWith("/v2")) {
                fields(path.getValue()).forEach(op -> ops.add(new Operation(op.getKey(), path.getKey(),
                        op.getValue())));
            }
        }
        return ops;
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        node.fields().forEachRemaining(fields::add);
        return fields;
    }

    private static JsonNode resolve(JsonNode doc, JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.startsWith("#") ? doc.at(ref.substring(1)) : schema;
    }

    /** The values of an {@code enum}, of the property itself or of its items; none when it has none. */
    private static JsonNode enumOf(JsonNode property) {
        JsonNode values = property.path("enum");
        return values.isArray() ? values : property.path("items").path("enum");
    }

    /** The operation's first example body, with the test owner in place of the example's owner. */
    private ObjectNode example(JsonNode media) {
        JsonNode first = media.path("examples").elements().hasNext()
                ? media.path("examples").elements().next().path("value") : JSON.createObjectNode();
        ObjectNode body = first.isObject() ? ((ObjectNode) first).deepCopy() : JSON.createObjectNode();
        if (body.has("owner")) {
            body.put("owner", owner.name());
        }
        return body;
    }

    private Response call(Operation op, JsonNode body) {
        return request(op).body(body.toString()).request(op.method(), op.path().replace("{id}", webhook));
    }

    /** Keys are the admin's business, /v2/ops/ an operator's; the owner's key (every scope) does the rest. */
    private RequestSpecification request(Operation op) {
        if (op.path().startsWith("/v2/api-keys")) {
            return Api.admin();
        }
        return op.path().startsWith("/v2/ops/") ? Api.as(operator) : owner.request();
    }
}
