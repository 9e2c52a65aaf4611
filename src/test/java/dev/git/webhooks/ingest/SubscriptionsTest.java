package dev.git.webhooks.ingest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SubscriptionsTest {

    @Test
    void matchesByTypeAndRepository() {
        assertTrue(Subscriptions.matches(List.of("*"), null, "repo.push", null));
        assertTrue(Subscriptions.matches(List.of("repo.push"), null, "repo.push", "acme/api"));
        assertFalse(Subscriptions.matches(List.of("pr.merged"), null, "repo.push", "acme/api"));
        assertTrue(Subscriptions.matches(List.of("*"), List.of("acme/api"), "repo.push", "acme/api"));
        assertFalse(Subscriptions.matches(List.of("*"), List.of("acme/api"), "repo.push", "acme/web"));
        assertFalse(Subscriptions.matches(List.of("*"), List.of("acme/api"), "deploy.success", null),
                "an event without a repo does not match a repo filter");
    }
}
