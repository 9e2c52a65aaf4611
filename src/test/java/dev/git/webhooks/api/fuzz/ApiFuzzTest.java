package dev.git.webhooks.api.fuzz;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.testing.Management;
import dev.git.webhooks.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Seeded fuzz of the whole API over raw sockets: the hand-written hostile cases of every route, then requests
 * generated from {@code /q/openapi}. No answer may be a 5xx; every answer carries {@code X-Request-Id}; every error
 * is the envelope with its status and the same request id. {@code -Dfuzz.seed=} replays a run,
 * {@code -Dfuzz.requests=} sets how many are generated.
 */
@QuarkusTest
class ApiFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20261125L);
    private static final int GENERATED = Integer.getInteger("fuzz.requests", 3000);
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void hostileRequestsGetNo5xxAndEveryErrorCarriesTheEnvelope() throws Exception {
        Random random = new Random(SEED);
        Fixtures fixtures = Fixtures.create(6);
        JsonNode openapi = new ObjectMapper()
                .readTree(Management.given().get("/q/openapi?format=json").asByteArray());
        List<Operation> operations = Operation.all(openapi);
        assertThat("every /v2 route and method of the API (docs/api.md)", operations.size(), greaterThanOrEqualTo(17));
        List<FuzzCases.Case> cases = new ArrayList<>(new RouteCases(random, fixtures, operations).all());
        int handWritten = cases.size();
        cases.addAll(new FuzzCases(random, fixtures, operations).generate(GENERATED));
        Collections.shuffle(cases, random);

        Map<Integer, Integer> histogram = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        long start = System.nanoTime();
        for (FuzzCases.Case c : cases) {
            senders.execute(() -> {
                RawHttp.Answer answer = RawHttp.send(c.raw());
                histogram.merge(answer.status(), 1, Integer::sum);
                String problem = problem(answer, c.head());
                if (problem != null) {
                    problems.add(problem + ": " + c.label() + " | " + RawHttp.preview(c.raw()) + " -> "
                            + answer.status() + " " + answer.text().substring(0, Math.min(200, answer.text().length())));
                }
            });
        }
        senders.shutdown();
        boolean done = senders.awaitTermination(BOUND.toSeconds() * 2, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        System.out.printf("API fuzz, seed %d: %d requests (%d hand-written, %d generated from /q/openapi over %d "
                + "operations) in %.1f s; status histogram %s%n", SEED, cases.size(), handWritten,
                cases.size() - handWritten, operations.size(), took.toMillis() / 1000.0, new TreeMap<>(histogram));
        assertThat("all sent", done);
        List<String> first = problems.stream().limit(25).toList();
        assertThat(problems.size() + " answers break the contract, the first: " + String.join("\n", first),
                first, empty());
        assertThat("bounded run", took, lessThan(BOUND));
    }

    /** What is wrong with an answer, or null. */
    private static String problem(RawHttp.Answer answer, boolean head) {
        if (answer.status() < 0) {
            return "no answer";
        }
        if (answer.status() >= 500) {
            return "server error";
        }
        String id = answer.header("X-Request-Id");
        if (id == null || !id.startsWith("req_")) {
            return "no request id";
        }
        if (answer.status() < 400 || head) {
            return null;
        }
        JsonNode error = answer.json() == null ? null : answer.json().get("error");
        if (error == null || !error.path("code").isTextual() || !error.path("message").isTextual()) {
            return "no envelope";
        }
        if (error.path("status").asInt() != answer.status()) {
            return "envelope status differs";
        }
        return id.equals(error.at("/details/request_id").asText()) ? null : "envelope request id differs";
    }
}
