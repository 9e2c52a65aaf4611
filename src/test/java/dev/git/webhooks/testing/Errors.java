package dev.git.webhooks.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import java.util.ArrayList;
import java.util.List;

import io.restassured.response.Response;

/** Checks that an answer is the one error envelope, with its request id. */
public final class Errors {

    private Errors() {
    }

    public static Response assertError(Response response, int status, String code) {
        response.then().statusCode(status);
        String requestId = response.header("X-Request-Id");
        assertThat(requestId, startsWith("req_"));
        assertThat(Json.at(response, "error.code"), equalTo(code));
        assertThat(Json.at(response, "error.status"), equalTo(status));
        assertThat(Json.at(response, "error.details.request_id"), equalTo(requestId));
        assertThat(response.asString(), not(containsString("Exception")));
        assertThat(response.asString(), not(containsString("dev.git.")));
        return response;
    }

    /** The same checks on an answer read from a raw socket. */
    public static RawHttp.Answer assertError(RawHttp.Answer answer, int status, String code) {
        String seen = answer.status() + " " + answer.headers() + " " + answer.text();
        assertThat(seen, answer.status(), equalTo(status));
        assertThat(seen, answer.header("X-Request-Id"), startsWith("req_"));
        assertThat(seen, answer.json() != null, equalTo(true));
        assertThat(seen, answer.json().at("/error/code").asText(), equalTo(code));
        assertThat(seen, answer.json().at("/error/status").asInt(), equalTo(status));
        assertThat(seen, answer.json().at("/error/details/request_id").asText(),
                equalTo(answer.header("X-Request-Id")));
        return answer;
    }

    public static RawHttp.Answer assertInvalid(RawHttp.Answer answer, String field) {
        assertError(answer, 400, "validation_failed");
        List<String> fields = new ArrayList<>();
        answer.json().at("/error/details/fields").forEach(f -> fields.add(f.get("field").asText()));
        assertThat("fields named: " + answer.text(), fields.contains(field), equalTo(true));
        return answer;
    }

    public static Response assertInvalid(Response response, String field) {
        assertError(response, 400, "validation_failed");
        assertThat("fields named: " + response.asString(),
                Json.<List<String>>at(response, "error.details.fields.field").contains(field), equalTo(true));
        return response;
    }
}
