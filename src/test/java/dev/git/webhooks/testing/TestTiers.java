package dev.git.webhooks.testing;

import java.lang.annotation.Annotation;
import java.util.Optional;

import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Which test classes run where. The application tests ({@code @QuarkusTest}: one application, broker and
 * PostgreSQL in the test JVM) run in two suites ({@code ApplicationTestsIT}, {@code OpsApplicationTestsIT}) that
 * the integration-test phase runs in its two JVMs, before the packaged-service tests; surefire's {@code test}
 * phase runs the plain unit tests alone (the fast tier, {@code webhooks.test.tier=unit}, which {@code ./mvnw test}
 * sets). So: inside a suite only application tests are kept (its plain unit tests ran already); outside one, the
 * unit tier drops the application tests, and with no tier set (an IDE, or {@code -Dtest.tier=all}) everything runs.
 * Registered through {@code META-INF/services}; decided by the annotation's name, since Quarkus loads its test
 * classes in a class loader of its own.
 */
public final class TestTiers implements PostDiscoveryFilter {

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        Optional<Class<?>> test = testClass(descriptor.getSource().orElse(null));
        if (test.isEmpty()) {
            return FilterResult.included("not a test class");
        }
        boolean application = isApplicationTest(test.get());
        if (inSuite(descriptor)) {
            return FilterResult.includedIf(application, () -> "an application test, in the suite that runs them",
                    () -> "a plain unit test: surefire ran it");
        }
        boolean unitTier = "unit".equals(System.getProperty("webhooks.test.tier"));
        return FilterResult.includedIf(!(unitTier && application), () -> "in this tier",
                () -> "an application test: a suite runs it in the integration-test phase");
    }

    /** Whether the descriptor is a suite's test (not the suite itself, whose class is no application test). */
    private static boolean inSuite(TestDescriptor descriptor) {
        var segments = descriptor.getUniqueId().getSegments();
        for (int i = 0; i < segments.size() - 1; i++) {
            if (segments.get(i).getType().equals("suite")) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Class<?>> testClass(TestSource source) {
        if (source instanceof ClassSource c) {
            return Optional.of(c.getJavaClass());
        }
        if (source instanceof MethodSource m) {
            return Optional.of(m.getJavaClass());
        }
        return Optional.empty();
    }

    static boolean isApplicationTest(Class<?> test) {
        for (Class<?> c = test; c != null; c = c.getEnclosingClass()) {
            for (Annotation a : c.getAnnotations()) {
                if (a.annotationType().getName().equals(QuarkusTest.class.getName())) {
                    return true;
                }
            }
        }
        return false;
    }
}
