package dev.git.webhooks;

import org.junit.platform.suite.api.ExcludePackages;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The application tests ({@code @QuarkusTest}) of the API, delivery and ingest packages, and of every package that
 * {@link OpsApplicationTestsIT} leaves out, run as one suite so that failsafe runs them in one JVM (one application
 * start, one broker, one PostgreSQL): given a fork of several, surefire and failsafe hand each class to it as a run
 * of its own, and Quarkus would start the application once per class. The operations side runs in the other suite,
 * in failsafe's other JVM at the same time; the packaged-service tests then go to whichever JVM is free first.
 * {@link dev.git.webhooks.testing.TestTiers} keeps a suite to the application tests.
 */
@Suite
@SelectPackages("dev.git.webhooks")
@ExcludePackages({ OpsApplicationTestsIT.OPS, OpsApplicationTestsIT.OPERATIONAL, OpsApplicationTestsIT.TRACING,
        OpsApplicationTestsIT.VERIFY })
@IncludeClassNamePatterns(".*Test")
class ApplicationTestsIT {
}
