package dev.git.webhooks.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Declares the shared test resource once for every {@code @QuarkusTest} of the suite. */
@QuarkusTestResource(Infrastructure.class)
public final class UsesInfrastructure {

    private UsesInfrastructure() {
    }
}
