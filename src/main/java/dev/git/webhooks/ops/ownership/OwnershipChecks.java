package dev.git.webhooks.ops.ownership;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.delivery.Signer;
import dev.git.webhooks.delivery.EndpointCalls;
import dev.git.webhooks.ops.OpsConfig;
import dev.git.webhooks.ops.Replays;
import dev.git.webhooks.outbox.AttemptResult;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.subscription.OwnershipCheck;
import dev.git.webhooks.subscription.WebhookEndpoint;
import dev.git.webhooks.subscription.address.DestinationPolicy;
import dev.git.webhooks.subscription.address.DestinationRefusedException;
import io.quarkus.scheduler.Scheduled;

/**
 * Runs the pending ownership checks of every instance's endpoints, and tries failed ones again with growing waits:
 * claim (a lease, so that one instance checks each and a dead instance's checks come back), send the signed challenge
 * like a delivery (the address rules, the egress proxy, the signer, the endpoint's client certificate, but no bearer
 * token: {@link EndpointCalls#challenge}), judge the answer within the timeout, record. A pass enables the endpoint
 * and, in the same transaction, recovers for it the events received since it went pending (docs/api.md, "Ownership
 * check").
 */
@ApplicationScoped
public class OwnershipChecks {

    private static final Logger LOG = Logger.getLogger(OwnershipChecks.class);
    private static final int BATCH = 16;
    /** The answer's bytes kept: the echo is a short JSON object. */
    private static final int ANSWER_LIMIT = 4096;

    private final OwnershipCheck ownership;
    private final DestinationPolicy destinations;
    private final Signer signer;
    private final EndpointCalls calls;
    private final Replays replays;
    private final OpsConfig.Ownership config;
    private final ObjectMapper json;
    private final Clock clock;

    public OwnershipChecks(OwnershipCheck ownership, DestinationPolicy destinations, Signer signer, EndpointCalls calls,
            Replays replays, OpsConfig config, ObjectMapper json, Clock clock) {
        this.ownership = ownership;
        this.destinations = destinations;
        this.signer = signer;
        this.calls = calls;
        this.replays = replays;
        this.config = config.ownership();
        this.json = json;
        this.clock = clock;
    }

    @Scheduled(every = "${webhooks.ops.ownership.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        try {
            checkDue();
        } catch (RuntimeException e) {
            LOG.warnf(e, "Ownership checks failed; trying again in %s", config.interval());
        }
    }

    /**
     * One round: the due checks, at most {@value #BATCH}, sent side by side, then recorded here, off the I/O threads
     * (a check still running at its lease's end is left to the lease).
     */
    void checkDue() {
        Instant now = clock.instant();
        // the DNS lookup and the answer are each bounded; past the lease another instance may check again
        Duration lease = config.timeout().multipliedBy(2).plusSeconds(30);
        List<OwnershipCheck.Claimed> claimed = ownership.claimDue(now, now.plus(lease), BATCH,
                new OwnershipCheck.Retry(config.retryAfter(), config.retryMax(), config.retryFor()));
        List<CompletableFuture<Judged>> running = new ArrayList<>();
        for (OwnershipCheck.Claimed check : claimed) {
            running.add(start(check).toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(lease.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debugf(e, "Ownership checks still running after %s; their leases bring them back", lease);
        }
        for (CompletableFuture<Judged> judged : running) {
            Judged done = judged.getNow(null);
            if (done != null) {
                try {
                    record(done.check(), done.url(), done.problem());
                } catch (RuntimeException e) {
                    LOG.warnf(e, "Could not record the ownership check of %s", done.check().endpointId());
                }
            }
        }
    }

    private CompletionStage<Judged> start(OwnershipCheck.Claimed check) {
        Sent sent;
        try {
            sent = prepare(check);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not prepare the ownership check of %s", check.endpointId());
            return CompletableFuture.completedFuture(null); // its lease brings it back
        }
        if (sent == null) {
            return CompletableFuture.completedFuture(null); // deleted meanwhile
        }
        return send(sent).handle((result, error) -> new Judged(check, sent.url(), error != null
                ? "request_failed: " + error.getMessage() : sent.challenge().problem(result, json).orElse(null)));
    }

    /** The challenge and its headers, signed like a delivery to the endpoint. */
    @Transactional
    Sent prepare(OwnershipCheck.Claimed check) {
        WebhookEndpoint endpoint = WebhookEndpoint.findById(check.endpointId());
        if (endpoint == null) {
            return null;
        }
        Instant now = clock.instant();
        Challenge challenge = Challenge.of(endpoint.owner, endpoint.id, endpoint.url, now, json);
        DeliveryJob job = new DeliveryJob(challenge.id(), challenge.id(), Challenge.TYPE, challenge.body(), 1, null,
                now, null, DeliveryJob.Target.of(endpoint), endpoint.owner, DeliveryJob.Trace.NONE);
        return new Sent(endpoint.url, challenge, signer.challengeHeaders(job, now), job);
    }

    /** Sent as any attempt is: to the vetted address of the URL (refused when the rules refuse it). */
    private CompletionStage<AttemptResult> send(Sent sent) {
        Instant started = clock.instant();
        URI url;
        try {
            url = destinations.parse(sent.url());
        } catch (DestinationRefusedException e) {
            return CompletableFuture.completedFuture(refused(started, sent, e));
        }
        return destinations.resolve(url).handle((address, error) -> {
            if (error == null) {
                return calls.challenge(sent.job(), url, address, sent.headers(), sent.challenge().body(),
                        ANSWER_LIMIT, config.timeout());
            }
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            return CompletableFuture.completedFuture(cause instanceof DestinationRefusedException refusal
                    ? refused(started, sent, refusal)
                    : AttemptResult.error(started, 0, sent.headers(), "dns_failure", String.valueOf(cause.getMessage())));
        }).thenCompose(result -> result);
    }

    private static AttemptResult refused(Instant started, Sent sent, DestinationRefusedException e) {
        String errorClass = e.reason().startsWith("dns_") ? e.reason() : "destination_refused";
        return AttemptResult.error(started, 0, sent.headers(), errorClass, e.reason() + ": " + e.getMessage());
    }

    @Transactional
    void record(OwnershipCheck.Claimed check, String url, String problem) {
        Instant now = clock.instant();
        ownership.record(check, url, problem, now).ifPresent(recorded -> {
            if (recorded.enabled() && recorded.active()) {
                replays.recover(recorded.owner(), check.endpointId(), recorded.since(), now);
            }
        });
    }

    /** The challenge, its signed headers and the job it is sent as (the endpoint's client certificate with it). */
    record Sent(String url, Challenge challenge, Map<String, String> headers, DeliveryJob job) {
    }

    /** A check's outcome: {@code problem} null when it passed. */
    private record Judged(OwnershipCheck.Claimed check, String url, String problem) {
    }
}
