package dev.git.webhooks.api;

import static dev.git.webhooks.testing.Errors.assertError;
import static dev.git.webhooks.testing.Errors.assertInvalid;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class ErrorEnvelopeTest {

    private Api.Owner owner;

    @BeforeEach
    void newOwner() {
        owner = Api.newOwner();
    }

    @Test
    void unknownRouteAnswersTheEnvelope() {
        assertError(owner.request().get("/v2/nothing-here"), 404, "not_found");
        assertError(given().get("/not-an-api"), 404, "not_found");
    }

    @Test
    void wrongMethodAnswers405() {
        assertError(owner.request().put("/v2/webhooks"), 405, "method_not_allowed");
    }

    @Test
    void wrongMediaTypeAnswers415() {
        assertError(owner.request().contentType(ContentType.TEXT).body("url=x").post("/v2/webhooks"), 415,
                "unsupported_media_type");
    }

    @Test
    void malformedJsonAnswers400() {
        assertError(owner.request().body("{\"url\":").post("/v2/webhooks"), 400, "malformed_json");
        assertError(Api.admin().body("{\"owner\": nope}").post("/v2/api-keys"), 400, "malformed_json");
    }

    @Test
    void bodyThatIsNotAnObjectIsRefused() {
        assertInvalid(owner.request().body("[1,2]").post("/v2/webhooks"), "body");
    }

    @Test
    void unknownAndMistypedFieldsAreNamed() {
        assertInvalid(Api.admin().body("{\"owner\":\"acme\",\"scopes\":[\"webhooks:read\"],\"colour\":1}")
                .post("/v2/api-keys"), "colour");
        assertInvalid(Api.admin().body("{\"owner\":\"acme\",\"scopes\":\"webhooks:read\"}")
                .post("/v2/api-keys"), "scopes");
        assertInvalid(owner.request().body("{\"url\":\"http://127.0.0.1/x\",\"events\":[\"*\"],\"colour\":1}")
                .post("/v2/webhooks"), "colour");
    }

    @Test
    void everyResponseCarriesARequestId() {
        given().get("/console/login").then().statusCode(200).header("X-Request-Id", startsWith("req_"));
        owner.request().get("/v2/webhooks").then().statusCode(200).header("X-Request-Id", startsWith("req_"));
    }

    @Test
    void aClientRequestIdIsReplaced() {
        owner.request().header("X-Request-Id", "<script>").get("/v2/webhooks").then()
                .header("X-Request-Id", startsWith("req_"));
    }

    @Test
    void openApiDocumentListsTheRoutes() {
        Management.given().get("/q/openapi").then().statusCode(200).body(containsString("/v2/webhooks"))
                .body(containsString("/v2/api-keys"));
        Management.given().get("/q/swagger-ui/").then().statusCode(200);
    }

    /** Readiness is what the API needs (the database), not Kafka: a broker outage must not take the API down. */
    @Test
    void healthReadyChecksTheDatabaseAndTheIngestGroupChecksKafka() {
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body(Json.at("checks.name", contains("database")))
                .body(Json.at("checks[0].status", equalTo("UP")));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> Management.given().get("/q/health/group/ingest")
                .then().statusCode(200)
                .body(Json.at("checks.name", containsInAnyOrder("kafka-broker", "ingest-progress"))));
    }

    @Test
    void metricsAreExposedForPrometheus() {
        Management.given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
    }
}
