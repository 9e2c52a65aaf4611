package dev.git.webhooks.outbox;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Management;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code webhooks_outbox_oldest_due_seconds}, which the outbox alerts read, counts the rows an owner would claim now:
 * not those of a key behind its first (one failing key of an ordered endpoint held them, due, for a day of retries),
 * nor a rate-limited endpoint's backlog. The rows are a day old and belong to switched-off endpoints, so that no
 * instance claims them while the test reads the gauge.
 */
@QuarkusTest
class OutboxGaugesTest {

    private static final Duration DAY = Duration.ofDays(1);

    @Inject
    OutboxGauges gauges;

    private final List<String> rows = new ArrayList<>();

    @AfterEach
    void deleteRows() {
        rows.forEach(id -> Db.update("delete from delivery where id = ?", id));
    }

    @Test
    void theOldestDueLeavesOutRowsBehindTheirKeysFirstAndARateLimitedBacklog() {
        Api.Owner owner = Api.newOwner();
        String ordered = disabled(owner, Map.of("ordering", Map.of("key", "repo")));
        String limited = disabled(owner, Map.of("rate_limit", 1));
        Instant now = Instant.now();
        row(ordered, "acme/api", now.plus(Duration.ofMinutes(5)), now.minus(DAY)); // the key's first: a retry
        row(ordered, "acme/api", now.minus(DAY), now.minus(DAY)); // behind it, due since it was made
        row(limited, null, now.minus(DAY), now.minus(DAY));
        // refreshed here, and read until a refresh that began after the inserts is the one shown (the scheduled
        // refresh, every 15 s, may have begun before them and end after this one)
        assertThat("neither a row behind its key's first nor a rate-limited backlog", refreshedUntil(
                due -> due < DAY.minusHours(1).toSeconds()), lessThan((double) DAY.minusHours(1).toSeconds()));

        String plain = disabled(owner, Map.of());
        row(plain, null, now.minus(DAY), now.minus(DAY));
        assertThat("a plain endpoint's due row counts", refreshedUntil(due -> due >= DAY.toSeconds()),
                greaterThanOrEqualTo((double) DAY.toSeconds()));
    }

    private String disabled(Api.Owner owner, Map<String, Object> controls) {
        Map<String, Object> body = new java.util.HashMap<>(controls);
        body.put("url", "http://127.0.0.1:9/gauges");
        body.put("events", List.of("*"));
        String id = Api.createWebhook(owner, body);
        owner.request().post("/v2/webhooks/" + id + "/disable").then().statusCode(200);
        return id;
    }

    private void row(String endpoint, String key, Instant nextAttemptAt, Instant createdAt) {
        String id = Ids.newTimeOrderedId("dlv", createdAt.toEpochMilli());
        Db.update("""
                insert into delivery (id, event_id, endpoint_id, owner, event_type, status, attempts, next_attempt_at,
                                      created_at, order_key)
                values (?, 'evt_gauge', ?, 'org-gauge', 'repo.push', 'pending', 0, ?, ?, ?)""", id, endpoint,
                Timestamp.from(nextAttemptAt), Timestamp.from(createdAt), key);
        rows.add(id);
    }

    /** The gauge after refreshes, the last one when {@code done} holds of it or after 20 s. */
    private double refreshedUntil(java.util.function.DoublePredicate done) {
        double[] due = {Double.NaN};
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        gauges.refresh();
                        due[0] = oldestDue();
                        return done.test(due[0]);
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the assertion that follows says what the gauge showed
        }
        return due[0];
    }

    private static double oldestDue() {
        for (String line : Management.metrics().split("\n")) {
            if (line.startsWith("webhooks_outbox_oldest_due_seconds ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        throw new AssertionError("no webhooks_outbox_oldest_due_seconds series");
    }
}
