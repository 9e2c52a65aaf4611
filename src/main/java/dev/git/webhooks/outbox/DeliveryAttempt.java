package dev.git.webhooks.outbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One attempt of a delivery, as sent and as answered. */
@Entity
@Table(name = "delivery_attempt")
public class DeliveryAttempt extends PanacheEntityBase {

    @Id
    public Long id;

    @Column(name = "delivery_id")
    public String deliveryId;

    public int attempt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "duration_ms")
    public int durationMs;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "request_headers")
    public Map<String, String> requestHeaders;

    @Column(name = "response_status")
    public Integer responseStatus;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "response_headers")
    public Map<String, String> responseHeaders;

    @Column(name = "response_body")
    public String responseBody;

    @Column(name = "error_class")
    public String errorClass;

    @Column(name = "error_message")
    public String errorMessage;

    public static List<DeliveryAttempt> of(String deliveryId) {
        return list("deliveryId = ?1 order by attempt, id", deliveryId);
    }
}
