package dev.git.webhooks.ops;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Generated;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An event as stored: the producer's exact bytes, where it came from, and the producer's trace context. */
@Entity
@Table(name = "event")
public class Event extends PanacheEntityBase {

    @Id
    public String id;

    @Generated
    @Column(insertable = false, updatable = false)
    public Long seq;

    public String type;
    public String owner;
    public String repo;
    public byte[] payload;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "source_topic")
    public String sourceTopic;

    @Column(name = "source_partition")
    public Integer sourcePartition;

    @Column(name = "source_offset")
    public Long sourceOffset;

    /** Continued by every attempt of its deliveries, redeliveries and replays included (never shown). */
    public String traceparent;

    public static Event findOwned(String owner, String id) {
        return find("id = ?1 and owner = ?2", id, owner).firstResult();
    }
}
