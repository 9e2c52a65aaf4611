package dev.git.webhooks.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.Response;

/** Checks that an answer is the one error envelope, with its request id. */
public final class Errors {

    private Errors() {
    }

    public static Response assertError(Response response, int status, String code) {
        response.then().statusCode(status);
        String requestId = response.header("X-Request-Id");
        assertThat(requestId, startsWith("req_"));
        assertThat(response.path("error.code"), equalTo(code));
        assertThat(response.path("error.status"), equalTo(status));
        assertThat(response.path("error.details.request_id"), equalTo(requestId));
        assertThat(response.asString(), not(containsString("Exception")));
        assertThat(response.asString(), not(containsString("dev.git.")));
        return response;
    }

    public static Response assertInvalid(Response response, String field) {
        assertError(response, 400, "validation_failed");
        assertThat("fields named: " + response.asString(),
                response.<java.util.List<String>>path("error.details.fields.field").contains(field), equalTo(true));
        return response;
    }
}
