package dev.git.webhooks.api.edge;

import static dev.git.webhooks.testing.Errors.assertError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Health, metrics and the OpenAPI document are served on the management interface only: the public port, the one
 * the Service and the Ingress expose, answers them 404 like any unknown route (metrics name customers' webhooks;
 * health and the document are for the cluster and the team), and the management port serves no API route.
 */
@QuarkusTest
class ManagementInterfaceTest {

    private static final List<String> MANAGEMENT_PATHS = List.of("/q/metrics", "/q/health", "/q/health/live",
            "/q/health/ready", "/q/health/group/ingest", "/q/openapi", "/q/swagger-ui/");

    @Test
    void thePublicPortAnswersManagementPathsNotFound() {
        for (String path : MANAGEMENT_PATHS) {
            assertError(given().get(path), 404, "not_found");
        }
    }

    @Test
    void theManagementPortServesHealthMetricsAndTheDocument() {
        assertThat("a port of its own", Management.port() != RestAssured.port);
        Management.given().get("/q/health/live").then().statusCode(200).body(containsString("\"status\": \"UP\""));
        Management.given().get("/q/health/ready").then().statusCode(200).body(containsString("\"status\": \"UP\""));
        assertThat(Management.metrics(), containsString("webhooks_outbox_pending "));
        Management.given().get("/q/openapi").then().statusCode(200).body(containsString("/v2/webhooks"));
        Management.given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void theManagementPortServesNoApi() {
        Api.Owner owner = Api.newOwner();
        Management.given().header("Authorization", "Bearer " + owner.key()).get("/v2/webhooks").then()
                .statusCode(404).body(not(containsString(owner.name())));
        Management.given().get("/console/login").then().statusCode(404);
    }
}
