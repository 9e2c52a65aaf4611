package dev.git.webhooks.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The fast tier ({@code ./mvnw test -Pfast}): plain unit tests only. A test class that starts the service
 * ({@code @QuarkusTest}, and with it the Kafka broker and PostgreSQL) is skipped; the integration tests are not run
 * by {@code test} at all. Registered through {@code META-INF/services} (JUnit auto-detects extensions in this
 * build), it does anything only when the {@code fast} profile sets {@code webhooks.test.tier=fast}: the full suite
 * runs every test.
 */
public final class FastTier implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!"fast".equals(System.getProperty("webhooks.test.tier"))) {
            return ConditionEvaluationResult.enabled("every tier");
        }
        Class<?> test = context.getTestClass().orElse(null);
        for (Class<?> c = test; c != null; c = c.getEnclosingClass()) {
            // by name: Quarkus loads its test classes in a class loader of its own, with its own QuarkusTest class
            for (java.lang.annotation.Annotation a : c.getAnnotations()) {
                if (a.annotationType().getName().equals(QuarkusTest.class.getName())) {
                    return ConditionEvaluationResult.disabled("the fast tier runs plain unit tests only");
                }
            }
        }
        return ConditionEvaluationResult.enabled("a plain unit test");
    }
}
