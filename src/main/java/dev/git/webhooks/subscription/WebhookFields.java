package dev.git.webhooks.subscription;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.JsonBodies;
import dev.git.webhooks.common.Names;
import dev.git.webhooks.signing.SigningSecret;
import dev.git.webhooks.subscription.address.DestinationPolicy;
import dev.git.webhooks.subscription.address.DestinationRefusedException;

/**
 * Reads and checks the fields of a webhook request body, collecting every problem in {@link FieldChecks}. Values
 * come back normalised (event types de-duplicated, the wildcard alone).
 */
final class WebhookFields {

    static final int MAX_REPOS = 100;
    static final int MAX_DESCRIPTION = 500;

    private final FieldChecks checks;
    private final DestinationPolicy destinations;

    WebhookFields(FieldChecks checks, DestinationPolicy destinations) {
        this.checks = checks;
        this.destinations = destinations;
    }

    void onlyKnown(JsonNode body, Set<String> known) {
        JsonBodies.onlyKnown(body, known, checks);
    }

    String url(JsonNode node) {
        if (node == null || node.isNull()) {
            checks.add("url", "is required");
            return null;
        }
        if (!node.isTextual()) {
            checks.add("url", "must be a string");
            return null;
        }
        try {
            return destinations.check(node.asText()).toString();
        } catch (DestinationRefusedException e) {
            checks.add("url", e.getMessage());
            return null;
        }
    }

    List<String> events(JsonNode node) {
        List<String> values = strings(node, "events", false);
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
        checks.check(!unique.isEmpty(), "events", "must list at least one event type, or [\"*\"]");
        return List.copyOf(unique);
    }

    List<String> repos(JsonNode node, String owner) {
        if (node == null || node.isNull()) {
            return null;
        }
        List<String> values = strings(node, "repos", true);
        if (values == null) {
            return null;
        }
        checks.check(values.size() <= MAX_REPOS, "repos", "must list at most " + MAX_REPOS + " repositories");
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

    String description(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            checks.add("description", "must be a string");
            return null;
        }
        checks.check(node.asText().length() <= MAX_DESCRIPTION, "description",
                "must be at most " + MAX_DESCRIPTION + " characters");
        return node.asText();
    }

    Boolean bool(JsonNode body, String field) {
        return JsonBodies.bool(body, field, checks);
    }

    String secret(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            checks.add("secret", "must be a string");
            return null;
        }
        SigningSecret.problem(node.asText()).ifPresent(problem -> checks.add("secret", problem));
        return node.asText();
    }

    private List<String> strings(JsonNode node, String field, boolean nullable) {
        if (node == null || (node.isNull() && !nullable)) {
            checks.add(field, "is required");
            return null;
        }
        if (!node.isArray()) {
            checks.add(field, "must be a list of strings");
            return null;
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                checks.add(field, "must be a list of strings");
                return null;
            }
            values.add(item.asText());
        }
        return values;
    }
}
