package dev.git.webhooks.testing;

import java.net.URI;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Requests to the management interface of the service under test: {@code /q/health}, {@code /q/metrics},
 * {@code /q/openapi} and {@code /q/swagger-ui} are served there only, on a port of its own (a free one in tests,
 * {@code %test.quarkus.management.test-port=0}), never on the public port that {@link RestAssured} points at.
 */
public final class Management {

    private Management() {
    }

    /** The management interface's address, {@code http://localhost:<port>}, as Quarkus reports it once started. */
    public static String url() {
        return ConfigProvider.getConfig().getValue("test.management.url", String.class);
    }

    /** Its port, set explicitly: RestAssured's own port (the public one) would otherwise win over the URL's. */
    public static int port() {
        return URI.create(url()).getPort();
    }

    public static RequestSpecification given() {
        URI uri = URI.create(url());
        return RestAssured.given().baseUri(uri.getScheme() + "://" + uri.getHost()).port(uri.getPort());
    }

    /** The Prometheus exposition text. */
    public static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
