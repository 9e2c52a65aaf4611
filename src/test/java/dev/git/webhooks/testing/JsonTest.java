package dev.git.webhooks.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.Arrays;
import java.util.List;

import org.hamcrest.StringDescription;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

/** {@link Json} answers what REST Assured's paths answer, for the plain paths the tests read. */
class JsonTest {

    private static final String BODY = """
            {"key": "whk_1", "count": 3, "big": 5000000000, "ratio": 0.5, "one": 1.0, "huge": 1e300,
             "error": {"details": {"request_id": "req_1", "fields": [{"message": "bad"}]}},
             "data": [{"id": "a", "n": 1, "headers": {"x-receiver": "wiremock"}}, {"id": "b", "n": 2.5}],
             "empty": [], "none": null}""";

    @Test
    void answersWhatRestAssuredsPathsAnswer() {
        for (String path : List.of("key", "count", "big", "ratio", "one", "huge", "error.details.request_id",
                "error.details.fields[0].message", "data", "data.id", "data.n", "data[0].id", "data[1].n",
                "data[0].headers.x-receiver", "data[5]", "empty", "none", "missing", "error.missing")) {
            Object ours = Json.at(BODY, path);
            Object theirs = JsonPath.from(BODY).get(path);
            assertThat(path, ours, equalTo(theirs));
        }
        assertThat(Json.at(BODY, "data.id"), equalTo(Arrays.asList("a", "b")));
        assertThat(Json.at(BODY, "ratio"), equalTo(0.5f));
    }

    @Test
    void theMatcherAppliesItsMatcherToThePathAndSaysWhatItFound() {
        assertThat(BODY, Json.at("data.id", hasItem("b")));
        assertThat(BODY, not(Json.at("key", equalTo("whk_2"))));
        assertThat(BODY, Json.at("missing", nullValue()));
        StringDescription mismatch = new StringDescription();
        Json.at("key", equalTo("whk_2")).describeMismatch(BODY, mismatch);
        assertThat(mismatch.toString(), containsString("JSON path key was \"whk_1\""));
        assertThat("not JSON", "<html>", not(Json.at("key", nullValue())));
    }

    @Test
    void refusesWhatIsNotAPlainPath() {
        for (String path : List.of("data.size()", "data.find { it.id == 'a' }", "$")) {
            try {
                Json.at(BODY, path);
                throw new AssertionError(path + " was read");
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage(), containsString(path));
            }
        }
    }
}
