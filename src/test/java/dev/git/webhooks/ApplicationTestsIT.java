package dev.git.webhooks;

import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * Every application test ({@code @QuarkusTest}) of the project, run as one suite so that failsafe can run them in
 * one JVM (one application start, one broker, one PostgreSQL) while its other JVM runs the packaged-service tests:
 * given a fork of several, surefire and failsafe hand each class to it as a run of its own, and Quarkus would
 * start the application once per class. {@link dev.git.webhooks.testing.TestTiers} keeps the suite to the
 * application tests.
 */
@Suite
@SelectPackages("dev.git.webhooks")
@IncludeClassNamePatterns(".*Test")
class ApplicationTestsIT {
}
