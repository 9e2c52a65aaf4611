package dev.git.webhooks.subscription;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Validator;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.body.FieldNames;
import dev.git.webhooks.common.Names;
import dev.git.webhooks.signing.SigningSecret;
import dev.git.webhooks.subscription.address.DestinationPolicy;
import dev.git.webhooks.subscription.address.DestinationRefusedException;
import dev.git.webhooks.subscription.request.CreateWebhook;
import dev.git.webhooks.subscription.request.EndpointFilter;
import dev.git.webhooks.subscription.request.EndpointHeader;
import dev.git.webhooks.subscription.request.EndpointOrdering;
import dev.git.webhooks.subscription.request.UpdateWebhook;

/**
 * The checks of a webhook request body that need more than a field's own constraints (those are on
 * {@link CreateWebhook}), collecting every problem in {@link FieldChecks}. A null field is left to the constraints.
 * Values come back normalised (event types de-duplicated, the wildcard alone).
 */
final class WebhookFields {

    private final FieldChecks checks;
    private final DestinationPolicy destinations;

    WebhookFields(FieldChecks checks, DestinationPolicy destinations) {
        this.checks = checks;
        this.destinations = destinations;
    }

    /**
     * The constraints of {@link CreateWebhook} on a whole body: the API checked them already ({@code @Valid}); a body
     * made in code (the console's form) is checked here, so that every problem is named in one answer.
     */
    void constraints(CreateWebhook body, Validator validator) {
        FieldNames.errors(validator.validate(body)).forEach(error -> checks.add(error.field(), error.message()));
    }

    /** The constraints of {@link CreateWebhook} on each field a PATCH gives; {@code active} may not be null. */
    void constraints(UpdateWebhook body, Validator validator) {
        for (Map.Entry<String, Object> field : body.given().entrySet()) {
            FieldNames.errors(validator.validateValue(CreateWebhook.class, field.getKey(), field.getValue()))
                    .forEach(error -> checks.add(error.field(), error.message()));
        }
        checks.check(!body.given().containsKey("active") || body.active().value() != null, "active",
                "must be true or false");
        checks.check(!body.given().containsKey("verifyOwnership") || body.verifyOwnership().value() != null,
                "verify_ownership", "must be true or false");
    }

    String url(String url) {
        if (url == null) {
            return null;
        }
        try {
            return destinations.check(url).toString();
        } catch (DestinationRefusedException e) {
            checks.add("url", e.getMessage());
            return null;
        }
    }

    List<String> events(List<String> values) {
        if (values == null) {
            return null;
        }
        Set<String> unique = new LinkedHashSet<>(values);
        for (String type : unique) {
            checks.check(EventTypes.isSubscribable(type) || EventTypes.WILDCARD.equals(type), "events",
                    "has an unknown event type '" + type + "'; use " + String.join(", ", EventTypes.ALL) + ", "
                            + String.join(", ", EventTypes.SYSTEM) + " or *");
        }
        boolean wildcardWithPlatformTypes = unique.contains(EventTypes.WILDCARD)
                && unique.stream().anyMatch(EventTypes::isKnown);
        checks.check(!wildcardWithPlatformTypes, "events",
                "must be [\"*\"] (alone or with system types) or a list of event types");
        return List.copyOf(unique);
    }

    List<String> repos(List<String> values, String owner) {
        if (values == null) {
            return null;
        }
        for (String repo : values) {
            if (!Names.isRepo(repo)) {
                checks.add("repos", "has '" + repo + "', which " + Names.REPO_RULE);
            } else {
                checks.check(Names.ownerOfRepo(repo).equals(owner), "repos",
                        "has '" + repo + "', which does not belong to " + owner);
            }
        }
        return List.copyOf(new LinkedHashSet<>(values));
    }

    /** The headers, checked; the stored form (secret values sealed for {@code endpointId}) or null. */
    String headers(List<EndpointHeader> headers, SecretCipher cipher, String endpointId) {
        DeliveryControls.check(headers, checks);
        return checks.failed("headers") ? null
                : DeliveryControls.store(headers, value -> cipher.seal(value, endpointId));
    }

    /** The filter, checked; its stored form or null. */
    String filter(EndpointFilter filter, String owner) {
        DeliveryControls.check(filter, owner, checks);
        return DeliveryControls.store(filter);
    }

    /** The ordering's key, checked; null for none. */
    String ordering(EndpointOrdering ordering) {
        if (ordering == null || ordering.none()) {
            return null;
        }
        DeliveryControls.OrderKey.problem(ordering.key()).ifPresent(problem -> checks.add("ordering", problem));
        return ordering.key();
    }

    /** The signature schemes, checked: their stored form ("v1", "v1a" or "v1,v1a"; null for v1, the default). */
    String signatureSchemes(List<String> schemes) {
        if (schemes == null) {
            return null;
        }
        Set<String> unique = new LinkedHashSet<>(schemes);
        boolean known = !unique.isEmpty() && unique.stream().allMatch(s -> "v1".equals(s) || "v1a".equals(s));
        checks.check(known, "signature_schemes", "must list v1, v1a or both (v1: HMAC-SHA256, v1a: Ed25519)");
        if (!known || unique.equals(Set.of("v1"))) {
            return null;
        }
        return unique.contains("v1") ? "v1,v1a" : "v1a";
    }

    /** The grace period asked for (0 up to the configured maximum), or the configured default. */
    Duration gracePeriod(Long seconds, SubscriptionConfig config) {
        if (seconds == null) {
            return config.gracePeriod();
        }
        long max = config.maxGracePeriod().toSeconds();
        boolean ok = seconds >= 0 && seconds <= max;
        checks.check(ok, "grace_period_seconds", "must be a whole number of seconds from 0 to " + max);
        return ok ? Duration.ofSeconds(seconds) : config.gracePeriod();
    }

    String secret(String secret) {
        if (secret != null) {
            SigningSecret.problem(secret).ifPresent(problem -> checks.add("secret", problem));
        }
        return secret;
    }
}
