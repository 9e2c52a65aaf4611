package dev.git.webhooks.ops;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A bulk replay: its filter, the deliveries it covers (up to {@code maxSeq}) and how far it got. */
@Entity
@Table(name = "replay")
public class Replay extends PanacheEntityBase {

    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String CANCELLED = "cancelled";
    /** The {@code status_filter} of a recover: missed events and failed deliveries (see {@link Replays#recover}). */
    public static final String RECOVER = "recover";

    @Id
    public String id;

    @Column(insertable = false, updatable = false)
    public Long seq;

    public String owner;

    @Column(name = "endpoint_id")
    public String endpointId;

    @Column(name = "status_filter")
    public String statusFilter;

    public Instant since;
    public Instant until;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> events;

    @Column(name = "dry_run")
    public boolean dryRun;

    public String state;
    public int total;
    public int processed;

    @Column(name = "max_seq")
    public long maxSeq;

    @Column(name = "cursor_seq")
    public long cursorSeq;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    /** The bulk request that started this replay with others, if any. */
    @Column(name = "batch_id")
    public String batchId;

    @Column(name = "cancelled_at")
    public Instant cancelledAt;

    public static Replay findOwned(String owner, String id) {
        return find("id = ?1 and owner = ?2", id, owner).firstResult();
    }
}
