package dev.git.webhooks.delivery.auth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.delivery.http.ClientIdentity;
import dev.git.webhooks.delivery.http.HttpSender;
import dev.git.webhooks.outbox.AttemptResult;
import dev.git.webhooks.subscription.address.DestinationPolicy;
import dev.git.webhooks.subscription.address.DestinationRefusedException;
import dev.git.webhooks.subscription.auth.DeliveryCredentials;

/**
 * Asks a token endpoint for an access token with the client credentials grant (RFC 6749 §4.4): a form POST of
 * {@code grant_type=client_credentials} (and {@code scope}, {@code audience}), the client authenticated with HTTP
 * Basic (§2.3.1, the id and secret form-encoded first) or in the form. The token URL is checked again at connect time
 * as an endpoint's URL is, and the request goes through the delivery's own non-blocking client: nothing here blocks a
 * thread. Fails with {@link TokenFailure}, whose message says what the token endpoint did.
 */
final class TokenClient {

    /** A token answer larger than this is refused (JWTs with many claims stay far below). */
    static final int MAX_ANSWER = 64 * 1024;
    /** The lifetime of a token whose answer has no {@code expires_in}; a 401 renews it earlier. */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    /** The longest a token is kept, whatever its {@code expires_in} says. */
    static final Duration MAX_LIFETIME = Duration.ofDays(1);
    private static final int SHOWN = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DestinationPolicy destinations;
    private final HttpSender sender;
    private final String userAgent;

    TokenClient(DestinationPolicy destinations, HttpSender sender, String userAgent) {
        this.destinations = destinations;
        this.sender = sender;
        this.userAgent = userAgent;
    }

    /** A token for {@code oauth}'s client, presenting {@code identity}'s certificate if the token endpoint asks. */
    CompletionStage<TokenCache.Issued> fetch(DeliveryCredentials.OAuth oauth, String secret,
            ClientIdentity identity) {
        URI url;
        try {
            url = destinations.parse(oauth.tokenUrl());
        } catch (DestinationRefusedException e) {
            return CompletableFuture.failedFuture(new TokenFailure("token URL refused: " + e.getMessage()));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put("Accept", "application/json");
        headers.put("User-Agent", userAgent);
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (oauth.scope() != null) {
            form.append("&scope=").append(encode(oauth.scope()));
        }
        if (oauth.audience() != null) {
            form.append("&audience=").append(encode(oauth.audience()));
        }
        if (oauth.basic()) {
            headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (encode(oauth.clientId()) + ":" + encode(secret)).getBytes(StandardCharsets.UTF_8)));
        } else {
            form.append("&client_id=").append(encode(oauth.clientId())).append("&client_secret=")
                    .append(encode(secret));
        }
        byte[] body = form.toString().getBytes(StandardCharsets.UTF_8);
        // every form in which the secret left, or an echo of the request could bring it back, for the messages
        List<String> hidden = new ArrayList<>(List.of(secret, encode(secret), secret.replace("/", "\\/")));
        if (headers.containsKey("Authorization")) {
            hidden.add(headers.get("Authorization").substring("Basic ".length()));
        }
        return destinations.resolve(url)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(refused(url, e)))
                .thenCompose(address -> sender.send(url, address, headers, body, identity, MAX_ANSWER))
                .thenApply(result -> issued(url, result, hidden));
    }

    private static Throwable refused(URI url, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return new TokenFailure("token endpoint " + url.getHost() + " refused: " + cause.getMessage());
    }

    /**
     * The token of a token endpoint's answer, or a failure that says what was wrong. {@code hidden}: the secret in
     * every form it was sent in, taken out of anything quoted (a token endpoint may echo the request); a 2xx answer
     * that is not the JSON expected is not quoted at all (it may be a token in another format).
     */
    static TokenCache.Issued issued(URI url, AttemptResult result, List<String> hidden) {
        String where = "token endpoint " + url.getHost();
        if (result.status() == null) {
            throw failure(where + " unreachable (" + result.errorClass() + "): " + result.errorMessage(), hidden);
        }
        String answer = result.responseBody() == null ? "" : result.responseBody();
        if (!result.succeeded()) {
            throw failure(where + " answered HTTP " + result.status() + ": " + shown(redacted(answer, hidden)),
                    hidden);
        }
        JsonNode token;
        try {
            token = JSON.readTree(answer);
        } catch (java.io.IOException e) {
            token = null;
        }
        if (token == null || !token.isObject()) {
            throw failure(where + " answered HTTP " + result.status() + " with " + answer.length() + " characters "
                    + "that are not a JSON object (not quoted: it may hold a token)", hidden);
        }
        JsonNode access = token.get("access_token");
        if (access == null || !access.isTextual() || access.asText().isBlank()) {
            throw failure(where + " answered without an access_token", hidden);
        }
        JsonNode type = token.get("token_type");
        if (type != null && !"bearer".equalsIgnoreCase(type.asText())) {
            throw failure(where + " issued a token of type " + shown(type.asText()) + ", not Bearer", hidden);
        }
        JsonNode expiresIn = token.get("expires_in");
        long seconds = expiresIn != null && (expiresIn.isNumber() || expiresIn.isTextual())
                ? expiresIn.asLong(-1) : -1;
        // kept at most a day, whatever it says: a lifetime of 1e20 s is no reason to keep a token for ever
        return new TokenCache.Issued(access.asText(),
                seconds < 0 ? DEFAULT_LIFETIME : Duration.ofSeconds(Math.min(seconds, MAX_LIFETIME.toSeconds())));
    }

    /** A failure whose message cannot carry the secret in any of its forms, even when a token endpoint echoes it. */
    private static TokenFailure failure(String message, List<String> hidden) {
        return new TokenFailure(redacted(message, hidden));
    }

    private static String redacted(String text, List<String> hidden) {
        String shown = text;
        for (String secret : hidden) {
            if (!secret.isEmpty()) {
                shown = shown.replace(secret, "[redacted]");
            }
        }
        return shown;
    }

    private static String shown(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() > SHOWN ? flat.substring(0, SHOWN) + "…" : flat;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
