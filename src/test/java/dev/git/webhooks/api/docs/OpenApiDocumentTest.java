package dev.git.webhooks.api.docs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.git.webhooks.testing.Management;
import io.quarkus.test.junit.QuarkusTest;

/**
 * docs/openapi.yaml is the document the service serves at {@code /q/openapi} (compared as YAML trees: the order of
 * keys may differ), so that clients can be generated from the repository. The build writes the document to
 * target/openapi/openapi.yaml; {@code -Dwebhooks.docs.write=true} copies that to docs/openapi.yaml.
 */
@QuarkusTest
class OpenApiDocumentTest {

    private static final Path DOC = Path.of("docs", "openapi.yaml");
    private static final Path BUILT = Path.of("target", "openapi", "openapi.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void docsOpenApiYamlIsTheServedDocument() throws Exception {
        String served = Management.given().accept("application/yaml").get("/q/openapi").then().statusCode(200)
                .extract().asString();
        JsonNode committed = committed();
        assertThat("docs/openapi.yaml differs from /q/openapi first at " + firstDifference(committed,
                YAML.readTree(served), "") + "; refresh it with ./mvnw test -Dtest=OpenApiDocumentTest "
                + "-Dwebhooks.docs.write=true (or cp target/openapi/openapi.yaml docs/openapi.yaml after a build)",
                committed.equals(YAML.readTree(served)), equalTo(true));
        assertThat("the build writes the served document", YAML.readTree(Files.readString(BUILT)),
                equalTo(YAML.readTree(served)));
    }

    /** The bodies' {@code ordering} in the three forms the API reads: "none", {"key": …} and null. */
    @Test
    void orderingTakesNoneAKeyOrNull() throws Exception {
        JsonNode doc = committed();
        for (String body : List.of("CreateWebhook", "UpdateWebhook")) {
            JsonNode forms = doc.at("/components/schemas/" + body + "/properties/ordering/oneOf");
            assertThat(body, forms.size(), equalTo(3));
            assertThat(body, doc.at("/components/schemas/OrderingNone/enum/0").asText(), equalTo("none"));
            assertThat(body, forms.get(0).path("$ref").asText(), equalTo("#/components/schemas/OrderingNone"));
            assertThat(body, forms.get(1).path("$ref").asText(), equalTo("#/components/schemas/EndpointOrdering"));
            assertThat(body, forms.get(2).path("type").asText(), equalTo("null"));
        }
        assertThat(doc.at("/components/schemas/EndpointOrdering/type").asText(), equalTo("object"));
        assertThat(doc.at("/components/schemas/EndpointOrdering/required/0").asText(), equalTo("key"));
    }

    /**
     * Every answer with a body shows an example: of the whole body, or of every property it holds, down through
     * references, lists and nested objects, so that Swagger UI and a reader see realistic values.
     */
    @Test
    void everySuccessResponseHasAnExample() throws Exception {
        JsonNode doc = committed();
        List<String> missing = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op ->
                op.getValue().path("responses").fields().forEachRemaining(response -> {
                    JsonNode media = response.getValue().at("/content/application~1json");
                    if (response.getKey().startsWith("2") && !media.isMissingNode()) {
                        String at = op.getKey().toUpperCase() + " " + path.getKey() + " " + response.getKey();
                        checked.add(at);
                        if (!media.has("example") && !media.has("examples")) {
                            unexampled(doc, media.path("schema"), at, new ArrayList<>(), missing);
                        }
                    }
                })));
        assertThat(checked, hasItems("GET /v2/webhooks/{id} 200", "POST /v2/webhooks 201",
                "GET /v2/deliveries/{id} 200", "POST /v2/webhooks/{id}/replay 202", "GET /v2/event-types 200"));
        assertThat("properties without an example", missing, equalTo(List.of()));
    }

    private static void unexampled(JsonNode doc, JsonNode schema, String at, List<String> seen, List<String> missing) {
        String ref = schema.path("$ref").asText("");
        if (schema.has("examples") || schema.has("example") || schema.has("enum") || seen.contains(ref)) {
            return;
        }
        if (!ref.isEmpty()) {
            List<String> deeper = new ArrayList<>(seen);
            deeper.add(ref);
            unexampled(doc, doc.at(ref.substring(1)), at, deeper, missing);
        } else if (schema.has("items")) {
            unexampled(doc, schema.get("items"), at + "[]", seen, missing);
        } else if (schema.has("properties")) {
            schema.get("properties").fields().forEachRemaining(p -> unexampled(doc, p.getValue(),
                    at + "." + p.getKey(), seen, missing));
        } else if (schema.has("additionalProperties") && schema.get("additionalProperties").isObject()) {
            missing.add(at + " (a map)");
        } else {
            missing.add(at);
        }
    }

    /**
     * docs/openapi.yaml, first replaced by the built document when {@code -Dwebhooks.docs.write=true}, whichever
     * test reads it first.
     */
    private static JsonNode committed() throws Exception {
        if (Boolean.getBoolean("webhooks.docs.write")) {
            Files.writeString(DOC, Files.readString(BUILT));
        }
        return YAML.readTree(Files.exists(DOC) ? Files.readString(DOC) : "{}");
    }

    /** The JSON pointer of the first place where two documents differ (keys in any order). */
    private static String firstDifference(JsonNode a, JsonNode b, String at) {
        if (a.equals(b)) {
            return null;
        }
        if (a.isObject() && b.isObject()) {
            List<String> names = new ArrayList<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(n -> names.add(a.has(n) ? null : n));
            for (String name : names) {
                if (name != null) {
                    String found = firstDifference(a.path(name), b.path(name), at + "/" + name.replace("/", "~1"));
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        return at.isEmpty() ? "/" : at;
    }

    @Test
    void everyBodyRouteDocumentsItsSchemaAndItsErrors() throws Exception {
        JsonNode doc = committed();
        List<String> bodies = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            JsonNode schema = op.getValue().at("/requestBody/content/application~1json/schema/$ref");
            if (!schema.isMissingNode()) {
                bodies.add(op.getKey().toUpperCase() + " " + path.getKey() + " " + schema.asText());
                List<String> statuses = new ArrayList<>();
                op.getValue().get("responses").fieldNames().forEachRemaining(statuses::add);
                assertThat(path.getKey(), statuses, hasItems("400", "401", "403", "413", "415", "429"));
            }
        }));
        assertThat(bodies, hasItems("POST /v2/webhooks #/components/schemas/CreateWebhook",
                "PATCH /v2/webhooks/{id} #/components/schemas/UpdateWebhook",
                "POST /v2/webhooks/{id}/rotate-secret #/components/schemas/RotateSecret",
                "POST /v2/webhooks/{id}/enable #/components/schemas/EnableRequest",
                "POST /v2/webhooks/{id}/replay #/components/schemas/ReplayRequest",
                "POST /v2/replays #/components/schemas/BulkReplayRequest",
                "POST /v2/api-keys #/components/schemas/CreateApiKey"));
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText(), equalTo("bearer"));
        assertThat(doc.at("/components/responses/BadRequest/content/application~1json/schema/$ref").asText(),
                equalTo("#/components/schemas/ErrorEnvelope"));
        assertThat(doc.at("/components/schemas/UpdateWebhook/properties/repos/type").toString(),
                equalTo("[\"array\",\"null\"]"));
    }

    @Test
    void everyListDocumentsItsLimitAndEveryOperationItsServerError() throws Exception {
        JsonNode doc = committed();
        List<String> lists = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String name = op.getKey().toUpperCase() + " " + path.getKey();
            assertThat(name, op.getValue().at("/responses/500/$ref").asText(),
                    equalTo("#/components/responses/InternalError"));
            for (JsonNode parameter : op.getValue().path("parameters")) {
                if ("limit".equals(parameter.path("name").asText())) {
                    lists.add(name);
                    JsonNode schema = parameter.get("schema");
                    assertThat(name, schema.path("type").asText(), equalTo("integer"));
                    assertThat(name, List.of(schema.path("minimum").asInt(), schema.path("maximum").asInt(),
                            schema.path("default").asInt()), equalTo(List.of(1, 100, 30)));
                    assertThat(name, parameter.path("description").isTextual(), equalTo(true));
                }
            }
        }));
        assertThat(lists, hasItems("GET /v2/webhooks", "GET /v2/webhooks/{id}/deliveries", "GET /v2/replays",
                "GET /v2/api-keys", "GET /v2/event-types", "GET /v2/ops/deliveries"));
        assertThat(doc.at("/components/responses/MethodNotAllowed/headers/Allow").isObject(), equalTo(true));
        assertThat(doc.at("/components/responses/MethodNotAllowed/content/application~1json/examples"
                + "/method_not_allowed/value/error/status").asInt(), equalTo(405));
    }
}
