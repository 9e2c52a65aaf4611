package dev.git.webhooks.ops.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Generated;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One action taken with an operator's key: who, what, on what, when, and how it ended. */
@Entity
@Table(name = "audit_entry")
public class AuditEntry extends PanacheEntityBase {

    public static final String STARTED = "started";
    public static final String SUCCEEDED = "succeeded";
    public static final String REFUSED = "refused";
    public static final String FAILED = "failed";

    @Id
    public String id;

    @Generated
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "key_id")
    public String keyId;

    /** The key's name when it acted; kept after the key is revoked. */
    @Column(name = "key_name")
    public String keyName;

    /** What the action did, in words ("disabled; 2,510 pending deliveries failed"), when it said. */
    public String outcome;

    public String action;
    public String target;
    public String method;
    public String path;
    public String result;
    public Integer status;
    public Instant at;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** {@code succeeded} below 400, {@code refused} for the client's errors, {@code failed} for ours. */
    static String resultOf(int status) {
        return status < 400 ? SUCCEEDED : status < 500 ? REFUSED : FAILED;
    }
}
