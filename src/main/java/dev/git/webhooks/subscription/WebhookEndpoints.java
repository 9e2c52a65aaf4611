package dev.git.webhooks.subscription;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.common.Ids;
import dev.git.webhooks.common.Refusal;
import dev.git.webhooks.signing.SigningKey;
import dev.git.webhooks.signing.SigningSecret;
import dev.git.webhooks.subscription.address.DestinationPolicy;
import dev.git.webhooks.subscription.auth.AuthFields;
import dev.git.webhooks.subscription.request.CreateWebhook;
import dev.git.webhooks.subscription.request.RotateSecret;
import dev.git.webhooks.subscription.request.UpdateWebhook;

/** Creates, changes, rotates and removes an owner's webhook endpoints. */
@ApplicationScoped
public class WebhookEndpoints {

    /** An endpoint together with the one-time view of its new secret. */
    public record WithSecret(WebhookEndpoint endpoint, String secret) {
    }

    /**
     * Fired inside the transaction that stops an endpoint from taking deliveries, or ({@link #CHANGED}) that changes
     * how it is called: its owner gives back what it holds, to be claimed again as the endpoint is now. The outbox
     * counts in {@code failed} the pending deliveries the stop failed.
     */
    public record Stopped(String endpointId, String reason, AtomicInteger failed) {
        public Stopped(String endpointId, String reason) {
            this(endpointId, reason, new AtomicInteger());
        }
    }

    /** A disabled endpoint and how many of its pending deliveries the disable failed. */
    public record Disabled(WebhookEndpoint endpoint, int failed) {
    }

    /**
     * The reason of a {@link Stopped} for an endpoint that still takes deliveries but is called differently: its URL,
     * credentials, headers, signing or controls changed, or its secret was rotated. Its queued deliveries stay queued.
     */
    public static final String CHANGED = "endpoint_changed";

    /** What of an endpoint's plain fields its deliveries are sent with (its sealed ones aside). */
    private record Calling(String url, String ordering, String signatureSchemes, Short maxConcurrency,
            Integer rateLimit) {
        static Calling of(WebhookEndpoint e) {
            return new Calling(e.url, e.ordering, e.signatureSchemes, e.maxConcurrency, e.rateLimit);
        }
    }

    private final DestinationPolicy destinations;
    private final SecretCipher cipher;
    private final SubscriptionConfig config;
    private final Clock clock;
    private final Event<Stopped> stopped;
    private final Validator validator;

    public WebhookEndpoints(DestinationPolicy destinations, SecretCipher cipher, SubscriptionConfig config,
            Clock clock, Event<Stopped> stopped, Validator validator) {
        this.validator = validator;
        this.destinations = destinations;
        this.cipher = cipher;
        this.config = config;
        this.clock = clock;
        this.stopped = stopped;
    }

    @Transactional
    public WithSecret create(String owner, CreateWebhook body) {
        FieldChecks checks = new FieldChecks();
        WebhookFields fields = new WebhookFields(checks, destinations);
        fields.constraints(body, validator);
        String url = fields.url(body.url());
        List<String> events = fields.events(body.events());
        List<String> repos = fields.repos(body.repos(), owner);
        String given = fields.secret(body.secret());
        String id = Ids.newId("wh");
        String headers = fields.headers(body.headers(), cipher, id);
        String filter = fields.filter(body.filter(), owner);
        String ordering = fields.ordering(body.ordering());
        String schemes = fields.signatureSchemes(body.signatureSchemes());
        Instant now = clock.instant();
        AuthFields auth = new AuthFields(checks, destinations);
        AuthFields.StoredAuth oauth = auth.auth(body.auth(), secret -> cipher.seal(secret, id));
        AuthFields.StoredCertificate certificate = auth.certificate(body.tlsClientCertificate(), now,
                key -> cipher.seal(key, id));
        checks.throwIfAny();

        WebhookEndpoint endpoint = new WebhookEndpoint();
        endpoint.id = id;
        endpoint.owner = owner;
        endpoint.url = url;
        endpoint.events = events;
        endpoint.repos = repos;
        endpoint.description = body.description();
        endpoint.active = body.active() == null || body.active();
        endpoint.maxConcurrency = body.maxConcurrency() == null ? null : body.maxConcurrency().shortValue();
        endpoint.rateLimit = body.rateLimit();
        endpoint.headers = headers;
        endpoint.filter = filter;
        endpoint.ordering = ordering;
        useSchemes(endpoint, schemes);
        endpoint.useAuth(oauth);
        endpoint.useCertificate(certificate);
        endpoint.status = WebhookEndpoint.ENABLED;
        endpoint.createdAt = now;
        String secret = given != null ? given : SigningSecret.generate().value();
        endpoint.useSecret(cipher.seal(secret, endpoint.id), now, Duration.ZERO);
        if (Boolean.TRUE.equals(body.verifyOwnership())) {
            OwnershipCheck.require(endpoint, now); // a new endpoint: nothing queued to stop
        }
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
            throw Refusal.notFound("webhook", id);
        }
        return endpoint;
    }

    /**
     * Holds the endpoint's row {@code for key share} until the transaction ends, so that a delete waits for its
     * commit: what the transaction writes that refers to the endpoint (a replay) is then written, and deleted with
     * it, instead of failing at the commit. Whether the endpoint (still) exists.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean hold(String id) {
        return lockRow(id, "", "key share");
    }

    /**
     * Whether the endpoint takes deliveries (enabled and active), its row held {@code for share} until the
     * transaction ends, as ingest holds it for the deliveries it fans out: a stop (disable, pause, delete) that comes
     * later waits for the commit and then fails or deletes what the transaction queued; one that came first is seen
     * here. For every writer of new deliveries to an endpoint (redeliveries, replays, recovers).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean holdTakingDeliveries(String id) {
        return lockRow(id, " and status = 'enabled' and active", "share");
    }

    /**
     * Locks the endpoint's row in {@code mode} until the transaction ends, if it exists and matches {@code where}
     * (checked again on the row's latest version once a lock it waited for is released).
     */
    private static boolean lockRow(String id, String where, String mode) {
        return !WebhookEndpoint.getEntityManager().createNativeQuery("select id from webhook_endpoint where id = ?1"
                + where + " for " + mode).setParameter(1, id).getResultList().isEmpty();
    }

    /** The endpoint, if it takes deliveries now: 404 when it is not the owner's, 409 when it is switched off. */
    @Transactional
    public WebhookEndpoint deliverable(String owner, String id) {
        WebhookEndpoint endpoint = get(owner, id);
        if (!WebhookEndpoint.ENABLED.equals(endpoint.status) || !endpoint.active) {
            throw Refusal.conflict("The webhook is not taking deliveries (status " + endpoint.status
                    + (endpoint.active ? "" : ", inactive") + "); enable it first.");
        }
        return endpoint;
    }

    @Transactional
    public WebhookEndpoint update(String owner, String id, UpdateWebhook body) {
        WebhookEndpoint endpoint = get(owner, id);
        FieldChecks checks = new FieldChecks();
        WebhookFields fields = new WebhookFields(checks, destinations);
        fields.constraints(body, validator);
        String url = body.url().map(fields::url, endpoint.url);
        List<String> events = body.events().map(fields::events, endpoint.events);
        List<String> repos = body.repos().map(r -> fields.repos(r, owner), endpoint.repos);
        String description = body.description().orElse(endpoint.description);
        Boolean active = body.active().value();
        // given again, sealed values (headers, OAuth, the certificate's key) count as changed; the rest if they differ
        boolean sealedGiven = body.auth().present() || body.tlsClientCertificate().present()
                || body.headers().present();
        Calling callingBefore = Calling.of(endpoint);
        String headers = body.headers().map(h -> fields.headers(h, cipher, id), endpoint.headers);
        String filter = body.filter().map(f -> fields.filter(f, owner), endpoint.filter);
        String ordering = body.ordering().map(fields::ordering, endpoint.ordering);
        String schemes = body.signatureSchemes().map(fields::signatureSchemes, endpoint.signatureSchemes);
        AuthFields auth = new AuthFields(checks, destinations);
        AuthFields.StoredAuth oauth = body.auth().present()
                ? auth.auth(body.auth().value(), secret -> cipher.seal(secret, id)) : null;
        AuthFields.StoredCertificate certificate = body.tlsClientCertificate().present()
                ? auth.certificate(body.tlsClientCertificate().value(), clock.instant(), key -> cipher.seal(key, id))
                : null;
        checks.throwIfAny();

        if (body.auth().present()) {
            endpoint.useAuth(oauth);
        }
        if (body.tlsClientCertificate().present()) {
            endpoint.useCertificate(certificate);
        }
        if (body.maxConcurrency().present()) {
            Integer max = body.maxConcurrency().value();
            endpoint.maxConcurrency = max == null ? null : max.shortValue();
        }
        if (body.rateLimit().present()) {
            endpoint.rateLimit = body.rateLimit().value();
        }
        endpoint.headers = headers;
        endpoint.filter = filter;
        endpoint.ordering = ordering;
        useSchemes(endpoint, schemes);
        boolean moved = !url.equals(endpoint.url);
        endpoint.url = url;
        endpoint.events = events;
        endpoint.repos = repos;
        endpoint.description = description;
        boolean told = false;
        if (active != null && active != endpoint.active) {
            endpoint.active = active;
            if (!active) {
                stopped.fire(new Stopped(endpoint.id, "endpoint_inactive"));
                told = true;
            }
        }
        Boolean verify = body.verifyOwnership().value();
        if (Boolean.FALSE.equals(verify) && endpoint.ownershipState != null) {
            OwnershipCheck.drop(endpoint);
        } else if (Boolean.TRUE.equals(verify) && endpoint.ownershipState == null
                || moved && endpoint.ownershipState != null) {
            told = checkOwnership(endpoint);
        }
        if ((sealedGiven || !callingBefore.equals(Calling.of(endpoint))) && !told) { // what its owner holds was claimed with the old URL, credentials or controls
            stopped.fire(new Stopped(endpoint.id, CHANGED));
        }
        endpoint.updatedAt = clock.instant();
        return endpoint;
    }

    /**
     * Checks the endpoint's ownership again ({@code POST /v2/webhooks/{id}/verify-ownership}): pending, and held back
     * until it passes. 409 when the endpoint did not ask for the check.
     */
    @Transactional
    public WebhookEndpoint verifyOwnership(String owner, String id) {
        WebhookEndpoint endpoint = get(owner, id);
        if (endpoint.ownershipState == null) {
            throw Refusal.conflict("The webhook has no ownership check; turn it on with verify_ownership: true.");
        }
        checkOwnership(endpoint);
        endpoint.updatedAt = clock.instant();
        return endpoint;
    }

    /** Pending from now on; an enabled endpoint stops (its queued deliveries wait for the check to pass). */
    private boolean checkOwnership(WebhookEndpoint endpoint) {
        if (OwnershipCheck.require(endpoint, clock.instant())) {
            stopped.fire(new Stopped(endpoint.id, OwnershipCheck.STOPPED));
            return true;
        }
        return false;
    }

    /**
     * Signs with {@code schemes} (stored form); v1a turned on for the first time makes the endpoint's Ed25519 key pair,
     * its secret key sealed like the signing secret. A key is kept when v1a is turned off, so that turning it on again
     * keeps the public key that receivers have.
     */
    private void useSchemes(WebhookEndpoint endpoint, String schemes) {
        endpoint.signatureSchemes = schemes;
        if (endpoint.signsV1a() && endpoint.signingKeyCiphertext == null) {
            SigningKey.Pair pair = SigningKey.generate();
            SecretCipher.Sealed sealed = cipher.seal(pair.secret(), endpoint.id);
            endpoint.signingKeyCiphertext = sealed.ciphertext();
            endpoint.signingKeyKeyId = sealed.keyId();
            endpoint.publicKey = pair.publicKey();
        }
    }

    /**
     * The owner's endpoint, its row locked {@code for no key update} until the transaction ends and read after the
     * lock (a copy read earlier in the transaction is read again): what a change decides from it stays true until
     * its commit.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public WebhookEndpoint lockedForChange(String owner, String id) {
        lockRow(id, "", "no key update");
        WebhookEndpoint endpoint = get(owner, id);
        WebhookEndpoint.getEntityManager().refresh(endpoint);
        return endpoint;
    }

    /**
     * Takes deliveries again after an auto-disable (or an operator's disable); a no-op on an enabled endpoint. Its
     * row is locked first, waiting for the ingest batches that read it (they hold it {@code for share}): their events
     * are committed, without a delivery to it, before anything later in this transaction reads the events (the
     * recover an enable may start), and a batch after it waits for it and fans out to it.
     */
    @Transactional
    public WebhookEndpoint enable(String owner, String id) {
        WebhookEndpoint endpoint = lockedForChange(owner, id);
        if (OwnershipCheck.unverified(endpoint)) {
            throw Refusal.conflict("The webhook's ownership is not verified (" + endpoint.ownershipState
                    + "); " + (OwnershipCheck.heldBack(endpoint) ? "it is enabled by itself once it answers the "
                            + "challenge" : "it was disabled before, so enable it once it has answered the challenge")
                    + " (POST /v2/webhooks/" + id + "/verify-ownership checks again).");
        }
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
    public Disabled disable(String owner, String id, String reason) {
        WebhookEndpoint endpoint = lockedForChange(owner, id); // an enable being committed is waited for
        // one held back by its ownership check becomes disabled for this reason: a pass no longer enables it
        if (WebhookEndpoint.ENABLED.equals(endpoint.status) || OwnershipCheck.heldBack(endpoint)) {
            endpoint.status = WebhookEndpoint.DISABLED;
            endpoint.disabledReason = reason;
            endpoint.updatedAt = clock.instant();
            Stopped stop = new Stopped(endpoint.id, "endpoint_disabled");
            stopped.fire(stop);
            return new Disabled(endpoint, stop.failed().get());
        }
        return new Disabled(endpoint, 0);
    }

    @Transactional
    public void delete(String owner, String id) {
        get(owner, id).delete();
        stopped.fire(new Stopped(id, "endpoint_deleted"));
    }

    @Transactional
    public WithSecret rotate(String owner, String id, RotateSecret body) {
        WebhookEndpoint endpoint = get(owner, id);
        FieldChecks checks = new FieldChecks();
        WebhookFields fields = new WebhookFields(checks, destinations);
        Duration grace = fields.gracePeriod(body.gracePeriodSeconds(), config);
        String given = fields.secret(body.secret());
        checks.throwIfAny();

        String secret = given != null ? given : SigningSecret.generate().value();
        endpoint.useSecret(cipher.seal(secret, endpoint.id), clock.instant(), grace);
        stopped.fire(new Stopped(endpoint.id, CHANGED)); // what its owner holds would be signed with the old secret
        return new WithSecret(endpoint, secret);
    }
}
