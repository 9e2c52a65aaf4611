package dev.git.webhooks.outbox;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A delivery as operators read it, never written through this entity (the outbox writes it through JDBC). Its {@code status}: {@code pending} (due or
 * leased), {@code delivered}, {@code failed}, or {@code replayed}: a failed delivery that was redelivered or
 * replayed, linked to its copy by {@code replayedBy}.
 */
@Entity
@Table(name = "delivery")
public class Delivery extends PanacheEntityBase {

    @Id
    public String id;

    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "event_id")
    public String eventId;

    @Column(name = "endpoint_id")
    public String endpointId;

    public String owner;

    @Column(name = "event_type")
    public String eventType;

    public String status;
    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "last_attempt_at")
    public Instant lastAttemptAt;

    @Column(name = "last_status")
    public Integer lastStatus;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Column(name = "redelivery_of")
    public String redeliveryOf;

    @Column(name = "replay_id")
    public String replayId;

    @Column(name = "last_duration_ms")
    public Integer lastDurationMs;

    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.JSON)
    @Column(name = "last_response_headers")
    public java.util.Map<String, String> lastResponseHeaders;

    @Column(name = "last_response_body")
    public String lastResponseBody;

    @Column(name = "last_request_signing")
    public String lastRequestSigning;

    @Column(name = "last_request_signed")
    public byte[] lastRequestSigned;

    @Column(name = "replayed_by")
    public String replayedBy;

    public boolean is(DeliveryStatus state) {
        return state.value().equals(status);
    }

    public static Delivery findOwned(String owner, String id) {
        return find("id = ?1 and owner = ?2", id, owner).firstResult();
    }
}
