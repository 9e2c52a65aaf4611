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
    void refusesToStartWithoutTheKafkaUrlAndNamesIt() throws Exception {
        Infrastructure.startOnce();
        Map<String, String> env = ServiceProcess.environment();
        env.remove("KAFKA_BOOTSTRAP_SERVERS");
        try (ServiceProcess service = ServiceProcess.start(env)) {
            assertTrue(service.process().waitFor(60, TimeUnit.SECONDS), "the service should exit");
            assertNotEquals(0, service.process().exitValue());
            assertThat(service.output(), containsString("kafka.bootstrap.servers is required (set the environment "
                    + "variable KAFKA_BOOTSTRAP_SERVERS)"));
        }
    }

    @Test
    void refusesAnEncryptionKeyOfTheWrongLength() throws Exception {
        Infrastructure.startOnce();
        Map<String, String> env = ServiceProcess.environment();
        env.put("WEBHOOKS_SECRETS_ENCRYPTION_KEY", "c2hvcnQ=");
        try (ServiceProcess service = ServiceProcess.start(env)) {
            assertTrue(service.process().waitFor(60, TimeUnit.SECONDS), "the service should exit");
            String output = service.output();
            assertThat(output, containsString("webhooks.secrets.encryption-key (WEBHOOKS_SECRETS_ENCRYPTION_KEY) "
                    + "must be base64 of exactly 32 bytes"));
            assertThat(output, not(containsString("c2hvcnQ=")));
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
