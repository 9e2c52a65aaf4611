package dev.git.webhooks.api.docs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Management;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The examples that show how an attempt failed (the served OpenAPI document's, the event catalog's) are what the
 * service writes when an endpoint answers 503: a client or a receiver written against an example matches the real
 * values.
 */
@QuarkusTest
class DocumentedErrorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theExamplesOfAFailedAttemptAreWhatTheServiceWritesForA503() throws Exception {
        Api.Owner acme = Api.newOwner();
        Api.Hook down = Api.hook(acme, aResponse().withStatus(503));
        Kafka.publish("deploy.success", acme.name(), Kafka.event("deploy.success", Kafka.newEventId(), acme.name(),
                null));
        await().atMost(Duration.ofSeconds(30)).until(() -> acme.request().queryParam("status", "failed")
                .get("/v2/webhooks/" + down.id() + "/deliveries").then().extract().<List<?>>path("data").size() == 1);
        String id = acme.request().get("/v2/webhooks/" + down.id() + "/deliveries").then().extract()
                .as(Json.Doc.class).at("data[0].id");
        JsonNode delivery = JSON.readTree(acme.request().get("/v2/deliveries/" + id).then().statusCode(200)
                .extract().asString());
        JsonNode attempt = delivery.at("/attempt_log/0");
        String operator = Api.newOperatorKey(List.of("ops:read"));
        List<Map<String, Object>> health = Api.as(operator).queryParam("owner", acme.name())
                .get("/v2/ops/endpoints").then().statusCode(200).extract().as(Json.Doc.class).at("data");

        JsonNode schemas = JSON.readTree(Management.given().accept("application/json").get("/q/openapi").then()
                .statusCode(200).extract().asString()).path("components").path("schemas");
        assertThat(example(schemas, "DeliveryView", "last_error"), equalTo(delivery.path("last_error").asText()));
        assertThat(example(schemas, "DeliveryView", "last_status"), equalTo(delivery.path("last_status").asText()));
        assertThat(example(schemas, "DeliveryView", "status"), equalTo(delivery.path("status").asText()));
        assertThat(example(schemas, "AttemptView", "error_class"), equalTo(attempt.path("error_class").asText()));
        assertThat(example(schemas, "AttemptView", "response_status"),
                equalTo(attempt.path("response_status").asText()));
        assertThat("no message for an HTTP answer", attempt.path("error_message").isNull()
                || attempt.path("error_message").isMissingNode(), equalTo(true));
        assertThat(example(schemas, "EndpointHealth", "last_error"), equalTo(health.get(0).get("last_error")));

        JsonNode catalog = JSON.readTree(Api.as(acme.key()).get("/v2/event-types/delivery.exhausted").then()
                .statusCode(200).extract().asString()).path("example").path("data");
        JsonNode notice = JSON.readTree(acme.request().get("/v2/events/evt_exhausted_" + id).then().statusCode(200)
                .extract().asString()).path("payload").path("data");
        assertThat(catalog.path("last_error").asText(), equalTo(notice.path("last_error").asText()));
        assertThat(catalog.path("last_status").asInt(), equalTo(notice.path("last_status").asInt()));
    }

    /** The first example of a property of a schema, as text. */
    private static String example(JsonNode schemas, String schema, String property) {
        JsonNode node = schemas.path(schema).path("properties").path(property);
        JsonNode example = node.has("examples") ? node.path("examples").path(0) : node.path("example");
        assertThat(schema + "." + property + " has an example", example.isMissingNode(), equalTo(false));
        return example.asText();
    }
}
