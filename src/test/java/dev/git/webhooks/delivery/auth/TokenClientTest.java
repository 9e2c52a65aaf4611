package dev.git.webhooks.delivery.auth;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.outbox.AttemptResult;

/** What a token endpoint's answer means: a token and its lifetime, or a failure that says why without the secret. */
class TokenClientTest {

    private static final URI URL = URI.create("https://auth.example.com/token");

    @Test
    void readsTheTokenAndItsLifetime() {
        TokenCache.Issued issued = TokenClient.issued(URL, answer(200,
                "{\"access_token\":\"t\",\"token_type\":\"bearer\",\"expires_in\":\"120\"}"), List.of("secret"));
        assertThat(issued, equalTo(new TokenCache.Issued("t", Duration.ofSeconds(120))));
    }

    @Test
    void aTokenWithoutExpiresInLivesFiveMinutes() {
        assertThat(TokenClient.issued(URL, answer(200, "{\"access_token\":\"t\"}"), List.of("s")).lifetime(),
                equalTo(Duration.ofMinutes(5)));
    }

    @Test
    void refusesAnswersWithoutAUsableBearerToken() {
        assertFailure(answer(401, "{\"error\":\"invalid_client\"}"), "answered HTTP 401: {\"error\":\"invalid_client\"}");
        assertFailure(answer(200, "<html>"), "not a JSON object");
        assertFailure(answer(200, "{\"token\":\"t\"}"), "without an access_token");
        assertFailure(answer(200, "{\"access_token\":\"t\",\"token_type\":\"mac\"}"), "type mac, not Bearer");
        assertFailure(AttemptResult.error(Instant.EPOCH, 1, Map.of(), "connection_refused", "Connection refused"),
                "unreachable (connection_refused)");
    }

    @Test
    void neverRepeatsTheSecretAnEndpointEchoes() {
        TokenFailure failure = assertThrows(TokenFailure.class, () -> TokenClient.issued(URL,
                answer(400, "{\"error\":\"bad secret hunter2\"}"), List.of("hunter2")));
        assertThat(failure.getMessage(), not(containsString("hunter2")));
        assertThat(failure.getMessage(), containsString("[redacted]"));
    }

    @Test
    void aLifetimeBeyondADayIsKeptADay() {
        assertThat(TokenClient.issued(URL, answer(200, "{\"access_token\":\"t\",\"expires_in\":1e20}"),
                List.of("s")).lifetime(), equalTo(Duration.ofDays(1)));
    }

    /**
     * A token endpoint that echoes the request puts the secret in its answer as it was sent: URL-encoded in the form,
     * in the Basic header's base64, JSON-escaped; none of them is repeated. A 2xx that is not the JSON expected is not
     * quoted at all (a form-encoded answer holds the token itself).
     */
    @Test
    void neverRepeatsTheSecretInTheFormsItWasSentInNorA2xxAnswer() {
        String secret = "s3cret-Of-The/Client+=";
        List<String> hidden = List.of(secret, java.net.URLEncoder.encode(secret, java.nio.charset.StandardCharsets.UTF_8),
                secret.replace("/", "\\/"), "Z2l0OnMzY3JldA==");
        for (String echo : List.of("client_secret=" + hidden.get(1), "{\"got\":\"" + hidden.get(2) + "\"}",
                "Basic Z2l0OnMzY3JldA== refused")) {
            TokenFailure failure = assertThrows(TokenFailure.class, () -> TokenClient.issued(URL, answer(401, echo),
                    hidden));
            for (String form : hidden) {
                assertThat(failure.getMessage(), not(containsString(form)));
            }
        }
        TokenFailure formEncoded = assertThrows(TokenFailure.class, () -> TokenClient.issued(URL, answer(200,
                "access_token=tok-LEAK&token_type=bearer"), hidden));
        assertThat(formEncoded.getMessage(), not(containsString("tok-LEAK")));
        assertThat(formEncoded.getMessage(), containsString("not a JSON object"));
    }

    private static void assertFailure(AttemptResult result, String message) {
        TokenFailure failure = assertThrows(TokenFailure.class, () -> TokenClient.issued(URL, result, List.of("s3cret")));
        assertThat(failure.getMessage(), containsString(message));
        assertThat(failure.getMessage(), containsString("auth.example.com"));
    }

    private static AttemptResult answer(int status, String body) {
        return new AttemptResult(Instant.EPOCH, 1, Map.of(), status, Map.of(), body, null, null);
    }
}
