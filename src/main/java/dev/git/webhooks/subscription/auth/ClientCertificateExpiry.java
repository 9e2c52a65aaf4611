package dev.git.webhooks.subscription.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;

/**
 * {@code webhooks_endpoint_client_certificate_expiry_timestamp_seconds{webhook_id}}: when each endpoint's client
 * certificate expires (unix seconds), so that an alert can warn its owner's operator before mutual TLS starts to
 * fail (deploy/monitoring, WebhooksClientCertificateExpiring). Read from the endpoints every minute; every instance
 * shows the same figures (take the min).
 */
@ApplicationScoped
public class ClientCertificateExpiry {

    private final EntityManager entities;
    private final MultiGauge gauge;

    public ClientCertificateExpiry(EntityManager entities, MeterRegistry metrics) {
        this.entities = entities;
        this.gauge = MultiGauge.builder("webhooks.endpoint.client.certificate.expiry.timestamp")
                .description("When the endpoint's client certificate (mutual TLS) expires, in unix seconds")
                .baseUnit("seconds").register(metrics);
    }

    @Scheduled(every = "60s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    public void refresh() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        // only the endpoints that take deliveries: a disabled or paused one (auto-disabled after its certificate
        // expired, say) sends nothing with it, and its series would keep the alert on until its owner acts
        List<Object[]> found = entities.createQuery("select e.id, e.tlsClientCertificateNotAfter from WebhookEndpoint "
                + "e where e.tlsClientCertificateNotAfter is not null and e.status = 'enabled' and e.active = true",
                Object[].class).getResultList();
        for (Object[] row : found) {
            rows.add(MultiGauge.Row.of(Tags.of("webhook_id", (String) row[0]), ((Instant) row[1]).getEpochSecond()));
        }
        gauge.register(rows, true);
    }
}
