package dev.git.webhooks.ops.ownership;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.outbox.AttemptResult;

/** What answers the ownership challenge, without Quarkus. */
class ChallengeTest {

    private final ObjectMapper json = new ObjectMapper();
    private final Challenge challenge = Challenge.of("acme", "wh_1", "https://hooks.acme.dev/git", Instant.EPOCH,
            json);

    @Test
    void carriesARandomChallengeInAnEventShapedBody() throws Exception {
        Map<?, ?> body = json.readValue(challenge.body(), Map.class);
        assertThat(body.get("event"), equalTo("webhook.verification"));
        assertThat(body.get("challenge"), equalTo(challenge.value()));
        assertThat(body.get("id"), equalTo(challenge.id()));
        assertThat(challenge.value().length(), equalTo(32));
        assertThat(Challenge.of("acme", "wh_1", "u", Instant.EPOCH, json).value().equals(challenge.value()),
                equalTo(false));
    }

    @Test
    void passesA2xxThatEchoesItAsJsonOrPlainText() {
        assertThat(problem(200, "{\"challenge\":\"" + challenge.value() + "\"}"), equalTo(Optional.empty()));
        assertThat(problem(204, challenge.value() + "\n"), equalTo(Optional.empty()));
    }

    /** A server that sends back what it receives proves nothing: the challenge event, or more than the value, fails. */
    @Test
    void failsAReflectionOfTheRequestOrAnAnswerWithMoreThanTheValue() {
        String reflected = new String(challenge.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(problem(200, reflected).orElseThrow().startsWith("no_echo"), equalTo(true));
        assertThat(problem(200, "{\"challenge\":\"" + challenge.value() + "\",\"id\":\"" + challenge.id() + "\"}")
                .orElseThrow().startsWith("no_echo"), equalTo(true));
        assertThat(problem(200, "[\"" + challenge.value() + "\"]").orElseThrow().startsWith("no_echo"), equalTo(true));
    }

    @Test
    void failsAWrongEchoAnotherStatusOrNoAnswer() {
        assertThat(problem(200, "{\"challenge\":\"nope\"}").orElseThrow().startsWith("no_echo"), equalTo(true));
        assertThat(problem(200, "").orElseThrow().startsWith("no_echo"), equalTo(true));
        assertThat(problem(404, challenge.value()), equalTo(Optional.of("http_status: answered HTTP 404")));
        assertThat(problem(302, challenge.value()), equalTo(Optional.of("http_status: answered HTTP 302")));
        assertThat(challenge.problem(AttemptResult.error(Instant.EPOCH, 1000, Map.of(), "timeout",
                "No complete answer within 1000 ms"), json),
                equalTo(Optional.of("timeout: No complete answer within 1000 ms")));
    }

    private Optional<String> problem(int status, String body) {
        return challenge.problem(new AttemptResult(Instant.EPOCH, 5, Map.of(), status, Map.of(), body,
                status < 300 ? null : "http_status", null), json);
    }
}
