package dev.git.webhooks.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Infrastructure;
import dev.git.webhooks.testing.ServiceProcess;

/** The packaged application refuses to start without its required configuration, and says which key. */
class ProductionConfigIT {

    @Test
    void refusesToStartWithoutTheRequiredKeysAndNamesThem() throws Exception {
        Infrastructure.startOnce();
        Map<String, String> env = ServiceProcess.environment();
        env.remove("WEBHOOKS_ADMIN_KEY");
        env.remove("WEBHOOKS_SECRETS_ENCRYPTION_KEY");
        try (ServiceProcess service = ServiceProcess.start(env)) {
            assertTrue(service.process().waitFor(60, TimeUnit.SECONDS), "the service should exit");
            assertNotEquals(0, service.process().exitValue());
            String output = service.output();
            assertThat(output, containsString("webhooks.admin-key is required (set the environment variable "
                    + "WEBHOOKS_ADMIN_KEY)"));
            assertThat(output, containsString("webhooks.secrets.encryption-key is required"));
        }
    }

    @Test
    void refusesToStartWithoutTheConnectionUrlsAndNamesBoth() throws Exception {
        Map<String, String> env = without("KAFKA_BOOTSTRAP_SERVERS");
        env.remove("QUARKUS_DATASOURCE_JDBC_URL");
        assertRefusedNaming(env,
                "kafka.bootstrap.servers is required (set the environment variable KAFKA_BOOTSTRAP_SERVERS)",
                "quarkus.datasource.jdbc.url is required (set the environment variable QUARKUS_DATASOURCE_JDBC_URL)");
    }

    @Test
    void refusesValuesThatParseButCannotWorkAndNamesEveryOne() throws Exception {
        Infrastructure.startOnce();
        Map<String, String> env = ServiceProcess.environment();
        env.put("WEBHOOKS_DELIVERY_ALLOWED_NETWORKS", "127.0.0.0/8,10.0.0.0/33,intranet");
        env.put("WEBHOOKS_DELIVERY_TIMEOUT", "-5s");
        env.put("WEBHOOKS_DELIVERY_RETRY_JITTER", "1.5");
        env.put("WEBHOOKS_DELIVERY_DNS_TIMEOUT", "0s");
        env.put("WEBHOOKS_DELIVERY_TRUST_STORE", "/nonexistent/ca.pem");
        env.put("WEBHOOKS_SECRETS_RETIRED_ENCRYPTION_KEYS", "c2hvcnQ=");
        env.put("WEBHOOKS_SECRETS_ENCRYPTION_KEY", "c2hvcnQ=");
        String output = assertRefusedNaming(env,
                "webhooks.secrets.encryption-key (WEBHOOKS_SECRETS_ENCRYPTION_KEY) must be base64 of exactly 32 bytes",
                "webhooks.delivery.allowed-networks (WEBHOOKS_DELIVERY_ALLOWED_NETWORKS) is invalid: '10.0.0.0/33' has "
                        + "a bad prefix length",
                "webhooks.delivery.allowed-networks (WEBHOOKS_DELIVERY_ALLOWED_NETWORKS) is invalid: 'intranet' is "
                        + "not a network",
                "webhooks.delivery.timeout (WEBHOOKS_DELIVERY_TIMEOUT) must not be negative",
                "webhooks.delivery.retry-jitter (WEBHOOKS_DELIVERY_RETRY_JITTER) must be from 0 up to",
                "webhooks.delivery.dns-timeout (WEBHOOKS_DELIVERY_DNS_TIMEOUT) must be a positive duration",
                "webhooks.delivery.trust-store (WEBHOOKS_DELIVERY_TRUST_STORE) must be a PEM file",
                "webhooks.secrets.retired-encryption-keys (WEBHOOKS_SECRETS_RETIRED_ENCRYPTION_KEYS) must hold "
                        + "base64 of exactly 32 bytes");
        assertThat("a key's value is never shown", output, not(containsString("c2hvcnQ=")));
    }

    @Test
    void refusesValuesThatDoNotParseAndNamesTheirKeys() throws Exception {
        // Refused by Quarkus's own configuration step, before any check of ours: its message names the key.
        Infrastructure.startOnce();
        Map<String, String> env = ServiceProcess.environment();
        env.put("WEBHOOKS_DELIVERY_TIMEOUT", "soon");
        env.put("WEBHOOKS_DELIVERY_RETRY_SCHEDULE", ",");
        assertRefusedNaming(env, "webhooks.delivery.timeout", "webhooks.delivery.retry-schedule");
    }

    private static Map<String, String> without(String variable) {
        Infrastructure.startOnce();
        Map<String, String> env = ServiceProcess.environment();
        env.remove(variable);
        return env;
    }

    /**
     * Starts the service, which must exit with a failure naming each of {@code expected}: one start for several
     * problems, since the checks report every one they find (each start is a JVM and most of a Quarkus boot).
     * Answers the output.
     */
    private static String assertRefusedNaming(Map<String, String> env, String... expected) throws Exception {
        try (ServiceProcess service = ServiceProcess.start(env)) {
            assertTrue(service.process().waitFor(60, TimeUnit.SECONDS), "the service should exit");
            assertNotEquals(0, service.process().exitValue());
            String output = service.output();
            for (String text : expected) {
                assertThat(output, containsString(text));
            }
            return output;
        }
    }

    @Test
    void startsWithTheRequiredKeysFromTheEnvironment() throws Exception {
        Infrastructure.startOnce();
        try (ServiceProcess service = ServiceProcess.start(ServiceProcess.environment())) {
            service.awaitReady(java.time.Duration.ofSeconds(60));
        }
    }
}
