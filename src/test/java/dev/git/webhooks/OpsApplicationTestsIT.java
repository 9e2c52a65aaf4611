package dev.git.webhooks;

import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The application tests of the operations side (operator routes, console, replays, ownership checks, notices,
 * tracing, the documented verifiers), the other half of {@link ApplicationTestsIT}: the two suites, each one
 * application of its own with its own broker and PostgreSQL, run at once in failsafe's two JVMs (as one suite they
 * took six minutes, the longest path of the suite, while the packaged-service tests beside them took five).
 */
@Suite
@SelectPackages({ OpsApplicationTestsIT.OPS, OpsApplicationTestsIT.OPERATIONAL, OpsApplicationTestsIT.TRACING,
        OpsApplicationTestsIT.VERIFY })
@IncludeClassNamePatterns(".*Test")
class OpsApplicationTestsIT {

    static final String OPS = "dev.git.webhooks.ops";
    static final String OPERATIONAL = "dev.git.webhooks.operational";
    static final String TRACING = "dev.git.webhooks.tracing";
    static final String VERIFY = "dev.git.webhooks.verify";
}
