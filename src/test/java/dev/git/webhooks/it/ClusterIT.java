package dev.git.webhooks.it;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.testing.CountingReceiver;
import dev.git.webhooks.testing.CountingReceiver.Answer;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Infrastructure;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Load;
import dev.git.webhooks.testing.ServiceProcess;

/**
 * Three instances of the packaged service on one database and one consumer group: each endpoint is sent to by one
 * of them at a time, so its limits hold for the whole cluster, and its owner's death moves it to another in time.
 * The instances allow 4 attempts in flight per endpoint and time attempts out after 1 s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final int CAP = 4;
    /** The promise to operators: a dead instance's endpoints are sent to again within this time. */
    private static final Duration TAKEOVER = Duration.ofSeconds(15);
    /** The Kafka client id of the i-th instance is this and i. */
    private static final String CLIENT = "cluster-";
    private static final Pattern INSTANCE = Pattern.compile("This instance is (i_\\w+)");
    /** The repositories of the events that the ordered endpoint of the takeover test gets, its keys. */
    private static final int REPOS = 20;
    /**
     * The events a second that the latency comparison publishes to the quiet endpoint and its control: at 160 the p99s
     * were 66-180 ms and one run of three was past the limit, at 80 they are about 50 ms.
     */
    private static final int RATE = 80;

    private static Load load;
    private static CountingReceiver receiver;
    private static final List<ServiceProcess> instances = new ArrayList<>();

    @BeforeAll
    static void startThreeInstances() throws Exception {
        Infrastructure.startOnce();
        load = Load.on(Infrastructure.bootstrapServers());
        receiver = CountingReceiver.start();
        Map<String, String> env = load.environment();
        env.put("WEBHOOKS_DELIVERY_MAX_IN_FLIGHT_PER_ENDPOINT", String.valueOf(CAP));
        env.put("WEBHOOKS_DELIVERY_TIMEOUT", "1s");
        env.put("WEBHOOKS_DELIVERY_RETRY_SCHEDULE", "1s,1s,1s,1s,1s,1s,1s,1s");
        env.put("WEBHOOKS_DELIVERY_RETRY_JITTER", "0");
        for (int i = 0; i < 3; i++) {
            Map<String, String> named = new HashMap<>(env);
            named.put("KAFKA_CLIENT_ID", CLIENT + i); // so that the group says which instance ingests what
            instances.add(ServiceProcess.start(named));
        }
        for (ServiceProcess instance : instances) {
            instance.awaitReady(Duration.ofSeconds(120));
        }
        await("the buckets are shared out").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Db.query("select owner, count(*) as n from endpoint_bucket where owner is not null "
                        + "group by owner").stream().filter(r -> ((Number) r.get("n")).intValue() >= 20).count() == 3);
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServiceProcess instance : instances) {
            instance.close();
        }
        receiver.close();
        load.close();
    }

    @Test
    @Order(1)
    void anEndpointNeverHasMoreAttemptsInFlightThanItsCapWhateverTheNumberOfInstances() throws Exception {
        String name = "cap-" + Ids.random(6);
        String own = "own-cap-" + Ids.random(6);
        load.endpointsAt(instances.get(0), List.of(receiver.endpoint(name, Answer.okAfter(30))));
        load.endpointsAt(instances.get(1), List.of(receiver.endpoint(own, Answer.okAfter(30))),
                Map.of("max_concurrency", 3)); // its owner's own cap (SPEC §12), below the operator's default
        List<String> ids = load.publish(600);
        load.flush();
        await("every event delivered").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> ids.stream().allMatch(id -> receiver.got(name, id) && receiver.got(own, id)));
        System.out.printf("three instances, endpoints answering after 30 ms, %d deliveries each: the default cap %d, "
                + "at most %d in flight at once; max_concurrency 3, at most %d (%d and %d requests)%n", ids.size(), CAP,
                receiver.maxInFlight(name), receiver.maxInFlight(own), receiver.requests(name), receiver.requests(own));
        assertThat("never more than the cap in flight, across the three instances", receiver.maxInFlight(name),
                lessThanOrEqualTo(CAP));
        assertThat("the cap was reached: the load could have exceeded it", receiver.maxInFlight(name),
                equalTo(CAP));
        assertThat("never more than the endpoint's own max_concurrency", receiver.maxInFlight(own),
                lessThanOrEqualTo(3));
        assertThat("its max_concurrency was reached", receiver.maxInFlight(own), equalTo(3));
    }

    @Test
    @Order(2)
    void aHangingEndpointOpensOneBreakerAfterTheTimeoutsOfOneWindowAcrossInstances() throws Exception {
        String name = "hang-" + Ids.random(6);
        String id = load.endpointsAt(instances.get(0), List.of(receiver.endpoint(name, Answer.hang()))).get(0);
        load.publish(300);
        load.flush();
        await("its breaker opens").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Db.query("select breaker_open_until from webhook_endpoint where id = ?", id).get(0)
                        .get("breaker_open_until") != null);
        long atOpening = receiver.requests(name);
        // the breaker holds: no more than one window of timeouts (and what was in flight) during the next 5 s
        await("the breaker holds for 5 s").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6))
                .until(() -> receiver.requests(name) <= 20L + CAP - 1);
        long afterwards = receiver.requests(name);
        System.out.printf("three instances, a hanging endpoint (1 s timeout): its breaker opened after %d requests; "
                + "%d in all 5 s later%n", atOpening, afterwards);
        // 20 timeouts (the breaker's window) open it; the attempts already in flight then (at most the cap minus
        // one) time out too. Per instance, three breakers would have let three times as many through.
        assertThat("one breaker for the cluster: one window of timeouts", afterwards,
                lessThanOrEqualTo(20L + CAP - 1));
        assertThat(afterwards, greaterThanOrEqualTo(20L));
        for (ServiceProcess instance : instances) {
            List<Map<String, Object>> rows = instance.as(instance.newOperatorKey(List.of("ops:read")))
                    .queryParam("owner", load.owner()).get("/v2/ops/endpoints").then().statusCode(200).extract()
                    .as(Json.Doc.class).at("data");
            assertThat("every instance shows the one breaker, open", rows.stream()
                    .filter(r -> id.equals(r.get("webhook_id"))).map(r -> r.get("breaker")).toList(),
                    equalTo(List.of("open")));
        }
    }

    @Test
    @Order(3)
    void aBackloggedEndpointDoesNotSlowAQuietOwnersDeliveries() throws Exception {
        // the endpoints of the tests before (answering after 30 ms, or hanging behind an open breaker) would take the
        // events measured here too, and load whichever instances own them: only the three endpoints of this test get
        // them
        disableEveryEndpoint();
        String quiet = "quiet-" + Ids.random(6);
        String busy = "busy-" + Ids.random(6);
        // Neither the quiet endpoint's owner nor the control's ingests the events: both get them queued, through
        // their owner's claims (a delivery that the ingesting instance owns is sent at once, faster, and would
        // make the comparison one of paths, not of the backlog)
        String client = await("a consumer holds the owner's partition").atMost(Duration.ofSeconds(30))
                .until(load::ingestingClient, c -> c != null);
        String ingesting = instanceIdOf(instances.get(Integer.parseInt(client.substring(CLIENT.length()))));
        String quietId = placedOff(List.of(ingesting), quiet);
        String control = "control-" + Ids.random(6);
        // the same events, sent by an instance without the backlog
        placedOff(List.of(ingesting, ownerOf(quietId)), control);
        String busyId = sameOwnerAs(quietId, busy);
        List<String> both = List.of(quiet, control);
        Map<String, List<Double>> before = latencies(both, 240); // warms the paths from the ingesting instance too
        int backlog = backlog(busyId, 20_000);
        await("the backlog is being sent").atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted(busy) > 0);
        // 2,400 samples: the p99 is then the 24th slowest. Over 800 one run of seven was 1 ms past the limit, while
        // the two endpoints' p99s before any backlog, over 240, were up to 34 ms apart: a p99 over a thousand
        // samples moves by 10 % from one window to the next on a loaded host, the backlog or not.
        Map<String, List<Double>> with = latencies(both, 2400);
        int windows = 1;
        double reference = p99(with.get(control));
        if (p99(with.get(quiet)) > limit(reference)) {
            // Past the limit in one window: measured again, and judged on both windows together. A backlog that slows
            // the quiet endpoint does so in every window, and stays past the limit over twice the samples; a
            // pause of one instance weighs half as much.
            Map<String, List<Double>> again = latencies(both, 2400);
            both.forEach(name -> with.get(name).addAll(again.get(name)));
            windows = 2;
            reference = p99(with.get(control));
        }
        long pendingAfter = Db.query("select count(*) as n from delivery where endpoint_id = ? and status = 'pending'",
                busyId).stream().mapToLong(r -> ((Number) r.get("n")).longValue()).sum();
        Db.update("delete from delivery where endpoint_id = ?", busyId); // the other tests of the suite meet none of it
        System.out.printf("a quiet endpoint beside %d due retries of a slow one on the same instance, and a control "
                + "endpoint on another instance, receiving the same events: p99 %.1f and %.1f ms before, %.1f and "
                + "%.1f ms with the backlog over %d samples (p50 %.1f and %.1f); %d of the backlog still pending%n",
                backlog, p99(before.get(quiet)), p99(before.get(control)), p99(with.get(quiet)), reference,
                with.get(quiet).size(), p50(with.get(quiet)), p50(with.get(control)), pendingAfter);
        assertThat("the backlog was still there while the quiet owner was measured", pendingAfter, greaterThan(0L));
        // within 10 % of the control's p99, measured over the same events at the same time: the machine's own load
        // (three instances, the broker and PostgreSQL on two shared cores) weighs on both alike; only the backlog
        // beside the quiet endpoint differs. Below a p99 of 100 ms, a difference of up to 10 ms is taken as noise.
        assertThat("the quiet owner's p99 within 10 % (or 10 ms) of the control's, over " + windows + " window(s)",
                p99(with.get(quiet)), lessThanOrEqualTo(limit(reference)));
    }

    private static double limit(double reference) {
        return Math.max(reference * 1.10, reference + 10);
    }

    /** Disables every endpoint of the load's owner, through the API (no event is delivered to them after). */
    private static void disableEveryEndpoint() {
        ServiceProcess service = instances.get(0);
        String key = service.newKey(load.owner(), List.of("webhooks:write", "webhooks:read"));
        List<String> ids = service.as(key).queryParam("limit", 100).get("/v2/webhooks").then().statusCode(200)
                .extract().as(Json.Doc.class).at("data.id");
        for (String id : ids) {
            service.as(key).post("/v2/webhooks/" + id + "/disable").then().statusCode(200);
        }
        assertThat("the tests before left endpoints to disable", ids.size(), greaterThan(0));
    }

    @Test
    @Order(4)
    void aKilledOwnersEndpointsAreSentToAgainWithinFifteenSeconds() throws Exception {
        disableEveryEndpoint(); // the endpoints of the tests before take no part in this one
        String name = "owned-" + Ids.random(6);
        // slow (4 at a time, 0.9 s each): its owner holds a backlog of its deliveries when it is killed
        String endpoint = load.endpointsAt(instances.get(0), List.of(receiver.endpoint(name, Answer.okAfter(900))))
                .get(0);
        // beside it, on the same owner, an endpoint whose deliveries go in event order per repository (SPEC §12), 20
        // repositories, refusing the first request of about 10 % of the events (each holds its key back for a retry)
        String ordered = "ordered-" + Ids.random(6);
        sameOwnerAs(endpoint, ordered, Answer.okAfterRefusingOnce(20, 10), Map.of("ordering", Map.of("key", "repo")));
        List<String> ids = load.keyed(REPOS).publish(REPOS * 100);
        load.flush();
        String owner = ownerOf(endpoint);
        await("its owner sends to it").atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted(name) >= 8);
        ServiceProcess killed = instanceNamed(owner);
        // what the owner holds at the kill: claims of the endpoint that only a takeover can bring back
        long held = ((Number) Db.query("select count(*) as n from delivery where endpoint_id = ? and status = 'pending'"
                + " and claim like ?", endpoint, owner + ".%").get(0).get("n")).longValue();
        killed.kill();
        long killedAt = System.nanoTime();
        long orderedAtKill = receiver.accepted(ordered);
        receiver.answer(name, Answer.ok());
        // what the dead owner had in flight is answered within 0.9 s; after that, only another instance's attempts
        // count
        await("the dead owner's attempts are answered").atMost(Duration.ofSeconds(2))
                .until(() -> receiver.inFlight(name) == 0);
        long before = receiver.accepted(name);
        await("another instance sends to the endpoint").atMost(TAKEOVER.plusSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> receiver.accepted(name) > before);
        Duration resumed = Duration.ofNanos(System.nanoTime() - killedAt);
        await("every event delivered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> ids.stream().allMatch(id -> receiver.got(name, id) && receiver.got(ordered, id)));
        String newOwner = ownerOf(endpoint);
        List<String> outOfOrder = load.outOfOrder(receiver.acceptedInOrder(ordered));
        System.out.printf("the owner of an endpoint killed: sent to again %d ms later by %s; the ordered endpoint "
                + "beside it had %d of %d events at the kill, %d requests in all, %d keys out of order%n",
                resumed.toMillis(), newOwner, orderedAtKill, ids.size(), receiver.requests(ordered),
                outOfOrder.size());
        assertThat(newOwner, notNullValue());
        assertThat("the killed owner held claims of the endpoint", held, greaterThan(0L));
        assertThat("a dead owner's endpoints move within 15 s", resumed, lessThanOrEqualTo(TAKEOVER));
        assertThat(ids.stream().filter(id -> !receiver.got(name, id)).toList(), empty());
        assertThat("the kill fell in the middle of the ordered endpoint's deliveries", orderedAtKill,
                both(greaterThan(0L)).and(lessThan((long) ids.size())));
        assertThat("some first requests were refused: keys were held back for retries", receiver.requests(ordered),
                greaterThan((long) ids.size()));
        assertThat("per repository, the first receipts are in event order across the takeover", outOfOrder, empty());
    }

    /** An endpoint named {@code name} whose bucket the owner of {@code endpointId}'s bucket owns; answers its id. */
    private static String sameOwnerAs(String endpointId, String name) {
        return placed(endpointId, true, name, Answer.okAfter(50), Map.of());
    }

    /** {@link #sameOwnerAs(String, String)}, answering {@code answer}, created with the fields of {@code with}. */
    private static String sameOwnerAs(String endpointId, String name, Answer answer, Map<String, Object> with) {
        return placed(endpointId, true, name, answer, with);
    }

    /** An endpoint whose bucket {@code endpointId}'s owner owns ({@code same}) or not; answers its id. */
    private static String placed(String endpointId, boolean same, String name, Answer answer,
            Map<String, Object> with) {
        String owner = ownerOf(endpointId);
        for (int i = 0; i < 100; i++) {
            String id = load.endpointsAt(instances.get(0), List.of(receiver.endpoint(name, answer)), with).get(0);
            if (owner.equals(ownerOf(id)) == same) {
                return id;
            }
            Db.update("delete from webhook_endpoint where id = ?", id);
        }
        throw new IllegalStateException("no endpoint landed " + (same ? "on " : "off ") + owner);
    }

    /** An endpoint named {@code name}, answering at once, whose bucket none of {@code instanceIds} owns. */
    private static String placedOff(List<String> instanceIds, String name) {
        for (int i = 0; i < 100; i++) {
            String id = load.endpointsAt(instances.get(0), List.of(receiver.endpoint(name, Answer.ok()))).get(0);
            if (!instanceIds.contains(ownerOf(id))) {
                return id;
            }
            Db.update("delete from webhook_endpoint where id = ?", id);
        }
        throw new IllegalStateException("no endpoint landed off " + instanceIds);
    }

    private static String ownerOf(String endpointId) {
        return (String) Db.query("""
                select b.owner from endpoint_bucket b join webhook_endpoint w on w.bucket = b.bucket where w.id = ?""",
                endpointId).get(0).get("owner");
    }

    /** The id that an instance says it has (its log's first lines). */
    private static String instanceIdOf(ServiceProcess instance) throws Exception {
        Matcher m = INSTANCE.matcher(instance.output());
        if (!m.find()) {
            throw new IllegalStateException("the instance did not say its id");
        }
        return m.group(1);
    }

    private static ServiceProcess instanceNamed(String instanceId) throws Exception {
        for (ServiceProcess instance : instances) {
            Matcher m = INSTANCE.matcher(instance.output());
            while (m.find()) {
                if (m.group(1).equals(instanceId)) {
                    return instance;
                }
            }
        }
        throw new IllegalStateException("no instance is " + instanceId);
    }

    /** Due retries for an endpoint, written straight into the queue, and its owner told; answers how many. */
    private static int backlog(String endpointId, int count) {
        String prefix = "evt_backlog_" + Ids.random(6) + "_";
        Db.update("""
                insert into event (id, type, owner, payload, occurred_at, received_at)
                select ? || g, 'repo.push', ?, convert_to('{"event":"repo.push","id":"' || ? || g || '"}', 'UTF8'),
                       now(), now()
                from generate_series(1, ?) g""", prefix, load.owner(), prefix, count);
        Db.update("""
                insert into delivery (id, event_id, endpoint_id, owner, event_type, status, attempts, next_attempt_at,
                                      created_at)
                select 'dlv_backlog_' || g || '_' || ?, ? || g, ?, ?, 'repo.push', 'pending', 1, now(), now()
                from generate_series(1, ?) g""", Ids.random(6), prefix, endpointId, load.owner(), count);
        Db.query("select pg_notify('webhooks_due', bucket || ' ' || id) from webhook_endpoint where id = ?",
                endpointId);
        return count;
    }

    /**
     * Publishes {@code count} events at {@link #RATE} a second; each endpoint's latencies (publish to receipt, in ms)
     * by its name.
     */
    private static Map<String, List<Double>> latencies(List<String> names, int count) throws Exception {
        List<String> ids = load.publishPaced(count, RATE);
        load.flush();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> ids.stream().allMatch(id -> names.stream().allMatch(name -> receiver.got(name, id))));
        Map<String, List<Double>> result = new HashMap<>();
        for (String name : names) {
            List<Double> latencies = new ArrayList<>();
            for (String id : ids) {
                latencies.add((receiver.firstAccepted(name, id) - load.sentAt(id)) / 1e6);
            }
            result.put(name, latencies);
        }
        return result;
    }

    private static double p99(List<Double> latencies) {
        return quantile(latencies, 0.99);
    }

    private static double p50(List<Double> latencies) {
        return quantile(latencies, 0.50);
    }

    private static double quantile(List<Double> latencies, double q) {
        List<Double> sorted = latencies.stream().sorted().toList();
        return sorted.get((int) Math.ceil(sorted.size() * q) - 1);
    }
}
