package dev.git.webhooks.api.fuzz;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.git.webhooks.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Seeded fuzz of the whole API over raw sockets: the hand-written hostile cases of every route, then requests
 * generated from the OpenAPI document (docs/openapi.yaml, which OpenApiDocumentTest keeps equal to what the
 * application serves, whichever port that is on). The routes are those the application serves under {@code /v2}
 * (its JAX-RS resources), which must be the document's operations, so that a new route is fuzzed without a word
 * here. Every
 * request has an outcome, and each is checked: a request without a complete answer within {@link #PER_REQUEST} (a
 * hang), or whose connection is reset or closed before its answer is whole, fails the test by name; no answer may be
 * a 5xx; every answer carries {@code X-Request-Id}; every error is the envelope with its status and the same request
 * id. {@code -Dfuzz.seed=} replays a run, {@code -Dfuzz.requests=} sets how many are generated.
 */
@QuarkusTest
class ApiFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20261125L);
    private static final int GENERATED = Integer.getInteger("fuzz.requests", 3000);
    private static final Duration PER_REQUEST = Duration.ofSeconds(5);
    /**
     * The sending of every request; what is not sent by then fails as not sent. 3,000 requests took 25 s on a slow
     * host beside the other application tests' JVM: the bound is for a run that hangs, not a host that is slow.
     */
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final int SENDERS = 6;

    /** One request's outcome. */
    private record Outcome(FuzzCases.Case request, RawHttp.Exchange exchange) {
    }

    @Test
    void hostileRequestsGetNo5xxAndEveryErrorCarriesTheEnvelope() throws Exception {
        long start = System.nanoTime();
        Random random = new Random(SEED);
        JsonNode openapi = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docs", "openapi.yaml").toFile());
        List<Operation> operations = Operation.all(openapi);
        Set<String> documented = operations.stream().map(ServedRoutes::route)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat("the document's operations are the routes the application serves under /v2 (JAX-RS resources)",
                documented, equalTo(ServedRoutes.under("/v2")));

        Fixtures fixtures = Fixtures.create(6);
        List<FuzzCases.Case> cases = new ArrayList<>(new RouteCases(random, fixtures, operations).all());
        int handWritten = cases.size();
        cases.addAll(new FuzzCases(random, fixtures, operations).generate(GENERATED));
        Collections.shuffle(cases, random);

        long sending = System.nanoTime();
        List<Outcome> outcomes = send(cases);
        Duration sent = Duration.ofNanos(System.nanoTime() - sending);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        Map<String, Integer> histogram = new TreeMap<>();
        Map<String, Integer> perOperation = new TreeMap<>();
        List<String> broken = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Duration slowest = Duration.ZERO;
        for (Outcome outcome : outcomes) {
            FuzzCases.Case c = outcome.request();
            RawHttp.Exchange exchange = outcome.exchange();
            String line = c.label() + " | " + RawHttp.preview(c.raw());
            if (!exchange.answered()) {
                histogram.merge("none", 1, Integer::sum);
                broken.add(exchange.failure() + ": " + line);
                continue;
            }
            slowest = exchange.took().compareTo(slowest) > 0 ? exchange.took() : slowest;
            RawHttp.Answer answer = exchange.answer();
            histogram.merge(String.valueOf(answer.status()), 1, Integer::sum);
            if (c.operation() != null) {
                perOperation.merge(c.operation(), 1, Integer::sum);
            }
            String problem = problem(answer, c.head());
            if (problem != null) {
                problems.add(problem + ": " + line + " -> " + answer.status() + " "
                        + answer.text().substring(0, Math.min(200, answer.text().length())));
            }
        }
        System.out.printf("API fuzz, seed %d: %d requests (%d hand-written, %d generated from the document over %d "
                + "operations, the %d routes served under /v2) in %.1f s (%.1f s sending on %d connections at a "
                + "time), slowest answer %d ms; status histogram %s; answers per operation: min %d%n", SEED,
                cases.size(), handWritten, cases.size() - handWritten, operations.size(), documented.size(),
                took.toMillis() / 1000.0, sent.toMillis() / 1000.0, SENDERS, slowest.toMillis(), histogram,
                perOperation.values().stream().mapToInt(Integer::intValue).min().orElse(0));

        assertThat(broken.size() + " requests got no complete answer (hang, reset, early close), the first: "
                + String.join("\n", first(broken)), broken, empty());
        assertThat(problems.size() + " answers break the contract, the first: " + String.join("\n", first(problems)),
                problems, empty());
        Set<String> unanswered = new TreeSet<>(documented);
        operations.stream().filter(op -> perOperation.containsKey(op.label())).map(ServedRoutes::route)
                .forEach(unanswered::remove);
        assertThat("every operation was fuzzed and answered", unanswered, empty());
        assertThat("bounded run", took, lessThan(BOUND.plus(PER_REQUEST).plus(Duration.ofSeconds(5))));
    }

    /**
     * Sends every request on {@link #SENDERS} threads and collects each one's outcome: an exchange never throws
     * (hangs and resets are outcomes), and one not started within {@link #BOUND} is an outcome too ("not sent").
     */
    private static List<Outcome> send(List<FuzzCases.Case> cases) throws InterruptedException {
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        long deadline = System.nanoTime() + BOUND.toNanos();
        try {
            List<Future<RawHttp.Exchange>> futures = new ArrayList<>();
            for (FuzzCases.Case c : cases) {
                futures.add(senders.submit(() -> System.nanoTime() - deadline > 0
                        ? new RawHttp.Exchange(new RawHttp.Answer(-1, Map.of(), new byte[0]),
                                "not sent: the run's bound of " + BOUND.toSeconds() + " s had passed", Duration.ZERO)
                        : RawHttp.exchange(c.raw(), c.head(), PER_REQUEST)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                long wait = Math.max(0, deadline - System.nanoTime()) + PER_REQUEST.toNanos() * 2;
                RawHttp.Exchange exchange;
                try {
                    exchange = futures.get(i).get(wait, TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    exchange = new RawHttp.Exchange(new RawHttp.Answer(-1, Map.of(), new byte[0]),
                            "no outcome: " + e, Duration.ZERO);
                }
                outcomes.add(new Outcome(cases.get(i), exchange));
            }
            return outcomes;
        } finally {
            senders.shutdownNow();
        }
    }

    private static List<String> first(List<String> lines) {
        return lines.stream().limit(25).toList();
    }

    /** What is wrong with an answer, or null. */
    private static String problem(RawHttp.Answer answer, boolean head) {
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
