package dev.git.webhooks.subscription;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.JsonBodies;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.common.Ids;
import dev.git.webhooks.signing.SigningSecret;
import dev.git.webhooks.subscription.address.DestinationPolicy;

/** Creates, changes, rotates and removes an owner's webhook endpoints. */
@ApplicationScoped
public class WebhookEndpoints {

    private static final Set<String> CREATE_FIELDS = Set.of("url", "events", "repos", "description", "active",
            "secret");
    private static final Set<String> UPDATE_FIELDS = Set.of("url", "events", "repos", "description", "active");
    private static final Set<String> ROTATE_FIELDS = Set.of("grace_period_seconds", "secret");

    /** An endpoint together with the one-time view of its new secret. */
    public record WithSecret(WebhookEndpoint endpoint, String secret) {
    }

    /** Fired inside the transaction that stops an endpoint from taking deliveries. */
    public record Stopped(String endpointId, String reason) {
    }

    private final DestinationPolicy destinations;
    private final SecretCipher cipher;
    private final SubscriptionConfig config;
    private final Clock clock;
    private final Event<Stopped> stopped;

    public WebhookEndpoints(DestinationPolicy destinations, SecretCipher cipher, SubscriptionConfig config,
            Clock clock, Event<Stopped> stopped) {
        this.destinations = destinations;
        this.cipher = cipher;
        this.config = config;
        this.clock = clock;
        this.stopped = stopped;
    }

    @Transactional
    public WithSecret create(String owner, JsonNode body) {
        FieldChecks checks = new FieldChecks();
        WebhookFields fields = new WebhookFields(checks, destinations);
        JsonBodies.requireObject(body);
        fields.onlyKnown(body, CREATE_FIELDS);
        String url = fields.url(body.get("url"));
        List<String> events = fields.events(body.get("events"));
        List<String> repos = fields.repos(body.get("repos"), owner);
        String description = fields.description(body.get("description"));
        Boolean active = fields.bool(body, "active");
        String given = fields.secret(body.get("secret"));
        checks.throwIfAny();

        Instant now = clock.instant();
        WebhookEndpoint endpoint = new WebhookEndpoint();
        endpoint.id = Ids.newId("wh");
        endpoint.owner = owner;
        endpoint.url = url;
        endpoint.events = events;
        endpoint.repos = repos;
        endpoint.description = description;
        endpoint.active = active == null || active;
        endpoint.status = WebhookEndpoint.ENABLED;
        endpoint.createdAt = now;
        endpoint.updatedAt = now;
        String secret = given != null ? given : SigningSecret.generate().value();
        SecretCipher.Sealed sealed = cipher.seal(secret, endpoint.id);
        endpoint.secretCiphertext = sealed.ciphertext();
        endpoint.secretKeyId = sealed.keyId();
        endpoint.persist();
        return new WithSecret(endpoint, secret);
    }

    /** An owner's endpoints, newest first; every owner's when {@code owner} is null (operators). */
    @Transactional
    public List<WebhookEndpoint> list(String owner, PageRequest page) {
        var found = owner == null
                ? WebhookEndpoint.<WebhookEndpoint>find("seq < ?1 order by seq desc", page.before())
                : WebhookEndpoint.<WebhookEndpoint>find("owner = ?1 and seq < ?2 order by seq desc", owner,
                        page.before());
        return found.page(0, page.fetchSize()).list();
    }

    /** The owner of an endpoint, for operators' keys. */
    @Transactional
    public Optional<String> ownerOf(String id) {
        return WebhookEndpoint.<WebhookEndpoint>findByIdOptional(id).map(e -> e.owner);
    }

    @Transactional
    public WebhookEndpoint get(String owner, String id) {
        WebhookEndpoint endpoint = WebhookEndpoint.findOwned(owner, id);
        if (endpoint == null) {
            throw ApiException.notFound("webhook", id);
        }
        return endpoint;
    }

    /** The endpoint, if it takes deliveries now: 404 when it is not the owner's, 409 when it is switched off. */
    @Transactional
    public WebhookEndpoint deliverable(String owner, String id) {
        WebhookEndpoint endpoint = get(owner, id);
        if (!WebhookEndpoint.ENABLED.equals(endpoint.status) || !endpoint.active) {
            throw ApiException.conflict("The webhook is not taking deliveries (status " + endpoint.status
                    + (endpoint.active ? "" : ", inactive") + "); enable it first.");
        }
        return endpoint;
    }

    @Transactional
    public WebhookEndpoint update(String owner, String id, JsonNode body) {
        WebhookEndpoint endpoint = get(owner, id);
        FieldChecks checks = new FieldChecks();
        WebhookFields fields = new WebhookFields(checks, destinations);
        JsonBodies.requireObject(body);
        fields.onlyKnown(body, UPDATE_FIELDS);
        String url = body.has("url") ? fields.url(body.get("url")) : endpoint.url;
        List<String> events = body.has("events") ? fields.events(body.get("events")) : endpoint.events;
        List<String> repos = body.has("repos") ? fields.repos(body.get("repos"), owner) : endpoint.repos;
        String description = body.has("description") ? fields.description(body.get("description"))
                : endpoint.description;
        Boolean active = fields.bool(body, "active");
        checks.check(!body.has("active") || active != null, "active", "must be true or false");
        checks.throwIfAny();

        endpoint.url = url;
        endpoint.events = events;
        endpoint.repos = repos;
        endpoint.description = description;
        if (active != null && active != endpoint.active) {
            endpoint.active = active;
            if (!active) {
                stopped.fire(new Stopped(endpoint.id, "endpoint_inactive"));
            }
        }
        endpoint.updatedAt = clock.instant();
        return endpoint;
    }

    /** Takes deliveries again after an auto-disable (or an operator's disable); a no-op on an enabled endpoint. */
    @Transactional
    public WebhookEndpoint enable(String owner, String id) {
        WebhookEndpoint endpoint = get(owner, id);
        if (!WebhookEndpoint.ENABLED.equals(endpoint.status)) {
            endpoint.status = WebhookEndpoint.ENABLED;
            endpoint.disabledReason = null;
            endpoint.failingSince = null;
            endpoint.updatedAt = clock.instant();
        }
        return endpoint;
    }

    /**
     * Stops deliveries to the endpoint by hand ({@code disabled}, with {@code reason}); its pending deliveries fail
     * and stay replayable; {@link #enable} undoes it. A no-op on an endpoint that is already disabled.
     */
    @Transactional
    public WebhookEndpoint disable(String owner, String id, String reason) {
        WebhookEndpoint endpoint = get(owner, id);
        if (WebhookEndpoint.ENABLED.equals(endpoint.status)) {
            endpoint.status = WebhookEndpoint.DISABLED;
            endpoint.disabledReason = reason;
            endpoint.updatedAt = clock.instant();
            stopped.fire(new Stopped(endpoint.id, "endpoint_disabled"));
        }
        return endpoint;
    }

    @Transactional
    public void delete(String owner, String id) {
        get(owner, id).delete();
        stopped.fire(new Stopped(id, "endpoint_deleted"));
    }

    @Transactional
    public WithSecret rotate(String owner, String id, JsonNode body) {
        WebhookEndpoint endpoint = get(owner, id);
        FieldChecks checks = new FieldChecks();
        WebhookFields fields = new WebhookFields(checks, destinations);
        JsonNode request = JsonBodies.objectOrEmpty(body);
        fields.onlyKnown(request, ROTATE_FIELDS);
        Duration grace = config.gracePeriod();
        JsonNode seconds = request.get("grace_period_seconds");
        if (seconds != null && !seconds.isNull()) {
            long max = config.maxGracePeriod().toSeconds();
            boolean ok = seconds.canConvertToLong() && seconds.isIntegralNumber() && seconds.asLong() >= 0
                    && seconds.asLong() <= max;
            checks.check(ok, "grace_period_seconds", "must be a whole number of seconds from 0 to " + max);
            grace = ok ? Duration.ofSeconds(seconds.asLong()) : grace;
        }
        String given = fields.secret(request.get("secret"));
        checks.throwIfAny();

        Instant now = clock.instant();
        String secret = given != null ? given : SigningSecret.generate().value();
        if (grace.isZero()) {
            endpoint.previousSecretCiphertext = null;
            endpoint.previousSecretKeyId = null;
            endpoint.previousSecretExpiresAt = null;
        } else {
            endpoint.previousSecretCiphertext = endpoint.secretCiphertext;
            endpoint.previousSecretKeyId = endpoint.secretKeyId;
            endpoint.previousSecretExpiresAt = now.plus(grace);
        }
        SecretCipher.Sealed sealed = cipher.seal(secret, endpoint.id);
        endpoint.secretCiphertext = sealed.ciphertext();
        endpoint.secretKeyId = sealed.keyId();
        endpoint.updatedAt = now;
        return new WithSecret(endpoint, secret);
    }

}
