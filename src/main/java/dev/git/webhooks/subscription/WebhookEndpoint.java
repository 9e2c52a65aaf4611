package dev.git.webhooks.subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import dev.git.webhooks.subscription.auth.AuthFields;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A customer's webhook endpoint: where events of an owner go, which ones, and the sealed signing secrets. */
@Entity
@DynamicUpdate
@Table(name = "webhook_endpoint")
public class WebhookEndpoint extends PanacheEntityBase {

    public static final String ENABLED = "enabled";
    public static final String DISABLED = "disabled";
    public static final String AUTO_DISABLED = "auto_disabled";

    @Id
    public String id;

    @Generated
    @Column(insertable = false, updatable = false)
    public Long seq;

    /** Which of the 64 buckets of endpoints it falls in (a hash of its id, computed by PostgreSQL at insert). */
    @Generated
    @Column(insertable = false, updatable = false)
    public short bucket;

    public String owner;
    public String url;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> events;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> repos;

    public String description;
    public boolean active;
    public String status;

    @Column(name = "disabled_reason")
    public String disabledReason;

    @Column(name = "secret_ciphertext")
    public byte[] secretCiphertext;

    @Column(name = "secret_key_id")
    public String secretKeyId;

    @Column(name = "previous_secret_ciphertext")
    public byte[] previousSecretCiphertext;

    @Column(name = "previous_secret_key_id")
    public String previousSecretKeyId;

    @Column(name = "previous_secret_expires_at")
    public Instant previousSecretExpiresAt;

    /** Attempts in flight at once, cluster-wide; null: the operator's default. */
    @Column(name = "max_concurrency")
    public Short maxConcurrency;

    /** Deliveries a second at most, cluster-wide; null: none. */
    @Column(name = "rate_limit")
    public Integer rateLimit;

    /** Static request headers, stored as {@link DeliveryControls} says; null: none. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String headers;

    /** Conditions an event must meet, stored as {@link DeliveryControls} says; null: none. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String filter;

    /** The ordering key (owner, repo, event or a JSON Pointer); null: none. */
    public String ordering;

    /** The schemes of {@code webhook-signature}: v1, v1a or v1,v1a; null: v1 (HMAC only). */
    @Column(name = "signature_schemes")
    public String signatureSchemes;

    /** The sealed Ed25519 secret key (whsk_…) of v1a signatures; null until v1a is first turned on. */
    @Column(name = "signing_key_ciphertext")
    public byte[] signingKeyCiphertext;

    @Column(name = "signing_key_key_id")
    public String signingKeyKeyId;

    /** The Ed25519 public key (whpk_…) of the sealed secret key. */
    @Column(name = "public_key")
    public String publicKey;

    /** The ownership check: pending, verified or failed ({@link OwnershipCheck}); null: none asked for. */
    @Column(name = "ownership_state")
    public String ownershipState;

    /** When it last went pending: once verified, the events received since then are recovered. */
    @Column(name = "ownership_since")
    public Instant ownershipSince;

    @Column(name = "ownership_checked_at")
    public Instant ownershipCheckedAt;

    @Column(name = "ownership_error")
    public String ownershipError;

    /** A check in flight holds the endpoint until then; a new check (going pending) clears it. */
    @Column(name = "ownership_lease_until")
    public Instant ownershipLeaseUntil;
    /** OAuth 2.0 client credentials settings without the secret (JSON, see {@code AuthFields}); null: none. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String auth;

    @Column(name = "auth_secret_ciphertext")
    public byte[] authSecretCiphertext;

    @Column(name = "auth_secret_key_id")
    public String authSecretKeyId;

    /** The client certificate of mutual TLS (PEM, with its chain); null: none. */
    @Column(name = "tls_client_certificate")
    public String tlsClientCertificate;

    @Column(name = "tls_client_key_ciphertext")
    public byte[] tlsClientKeyCiphertext;

    @Column(name = "tls_client_key_key_id")
    public String tlsClientKeyKeyId;

    @Column(name = "tls_client_certificate_not_after")
    public Instant tlsClientCertificateNotAfter;

    @Column(name = "failing_since")
    public Instant failingSince;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;

    /**
     * Signs with {@code sealed} from {@code now} on; the secret it replaces keeps signing too until
     * {@code now + grace}, or stops at once when {@code grace} is zero (and a new endpoint has none to keep).
     */
    void useSecret(SecretCipher.Sealed sealed, Instant now, Duration grace) {
        boolean keep = !grace.isZero();
        previousSecretCiphertext = keep ? secretCiphertext : null;
        previousSecretKeyId = keep ? secretKeyId : null;
        previousSecretExpiresAt = keep ? now.plus(grace) : null;
        secretCiphertext = sealed.ciphertext();
        secretKeyId = sealed.keyId();
        updatedAt = now;
    }

    /** Authenticates with {@code stored} (null: no more OAuth). */
    void useAuth(AuthFields.StoredAuth stored) {
        auth = stored == null ? null : stored.settings();
        authSecretCiphertext = stored == null ? null : stored.secret().ciphertext();
        authSecretKeyId = stored == null ? null : stored.secret().keyId();
    }

    /** Presents {@code stored} (null: no client certificate any more). */
    void useCertificate(AuthFields.StoredCertificate stored) {
        tlsClientCertificate = stored == null ? null : stored.certificate();
        tlsClientKeyCiphertext = stored == null ? null : stored.key().ciphertext();
        tlsClientKeyKeyId = stored == null ? null : stored.key().keyId();
        tlsClientCertificateNotAfter = stored == null ? null : stored.notAfter();
    }

    /** Whether webhook-signature carries v1a (Ed25519) signatures. */
    public boolean signsV1a() {
        return signatureSchemes != null && signatureSchemes.contains("v1a");
    }

    public static WebhookEndpoint findOwned(String owner, String id) {
        return find("id = ?1 and owner = ?2", id, owner).firstResult();
    }
}
