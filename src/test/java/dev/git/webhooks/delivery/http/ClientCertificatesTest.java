package dev.git.webhooks.delivery.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;

/**
 * The clients that present an endpoint's certificate: one per endpoint, kept while it is asked for, closed when its
 * certificate changes or when no attempt asked for it for the idle time (an endpoint deleted or moved elsewhere).
 */
class ClientCertificatesTest {

    private final Vertx vertx = Vertx.vertx();
    private final AtomicLong now = new AtomicLong();
    private final ClientCertificates certificates = new ClientCertificates(vertx, HttpClientOptions::new, now::get);

    @AfterEach
    void close() {
        certificates.close();
        vertx.close();
    }

    @Test
    void anEndpointNobodyAskedForIsClosedAfterTheIdleTimeAndTheOthersAreKept() {
        ClientIdentity deleted = identity("wh_deleted");
        ClientIdentity busy = identity("wh_busy");
        HttpClient busyClient = certificates.client(busy);
        certificates.client(deleted);
        now.addAndGet(Duration.ofMinutes(20).toNanos());
        assertThat("the busy endpoint's attempt uses the client it had", certificates.client(busy),
                sameInstance(busyClient));
        assertThat("nothing is idle for 30 minutes yet", certificates.closeIdle(Duration.ofMinutes(30)), equalTo(0));
        now.addAndGet(Duration.ofMinutes(10).toNanos());
        assertThat("the deleted endpoint's client, 30 minutes unused, is closed", certificates.closeIdle(
                Duration.ofMinutes(30)), equalTo(1));
        assertThat(certificates.size(), equalTo(1));
        assertThat("the busy one, used 10 minutes ago, is kept", certificates.client(busy), sameInstance(busyClient));
        now.addAndGet(Duration.ofMinutes(31).toNanos());
        assertThat(certificates.closeIdle(Duration.ofMinutes(30)), equalTo(1));
        assertThat(certificates.size(), equalTo(0));
        assertThat("asked for again, it is made again", certificates.client(busy), not(sameInstance(busyClient)));
    }

    @Test
    void aNewCertificateReplacesTheEndpointsClient() {
        HttpClient first = certificates.client(identity("wh_rotated"));
        HttpClient second = certificates.client(identity("wh_rotated"));
        assertThat(second, not(sameInstance(first)));
        assertThat(certificates.size(), equalTo(1));
    }

    private static ClientIdentity identity(String endpointId) {
        TestCertificates.ClientPem pem = TestCertificates.client(endpointId, true,
                Instant.now().plus(Duration.ofDays(1)));
        return new ClientIdentity(endpointId, pem.certificate(), pem.privateKey().getBytes(StandardCharsets.UTF_8),
                pem::privateKey);
    }
}
