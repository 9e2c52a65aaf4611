package dev.git.webhooks.ops.deadletter;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A record of the dead-letter topic as indexed: why it was refused, where it came from, its bytes, its state. */
@Entity
@Table(name = "dead_letter")
public class DeadLetter extends PanacheEntityBase {

    public static final String NEW = "new";
    public static final String REDRIVEN = "redriven";
    public static final String DISCARDED = "discarded";

    @Id
    public String id;

    @Generated
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "dlq_topic")
    public String dlqTopic;

    @Column(name = "dlq_partition")
    public int dlqPartition;

    @Column(name = "dlq_offset")
    public long dlqOffset;

    public String reason;
    public String message;

    @Column(name = "source_topic")
    public String sourceTopic;

    @Column(name = "source_partition")
    public Integer sourcePartition;

    @Column(name = "source_offset")
    public Long sourceOffset;

    @Column(name = "failed_at")
    public Instant failedAt;

    @Column(name = "indexed_at")
    public Instant indexedAt;

    @Column(name = "record_key")
    public byte[] recordKey;

    @Column(name = "record_value")
    public byte[] recordValue;

    @Column(name = "value_size")
    public int valueSize;

    /** The record's own headers (not the {@code webhooks.dlq.*} ones): {@code [{"name":…,"value":base64}]}. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String headers;

    public String state;

    @Column(name = "state_changed_at")
    public Instant stateChangedAt;

    @Column(name = "state_changed_by")
    public String stateChangedBy;
}
