package dev.git.webhooks.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.common.Ids;
import dev.git.webhooks.common.Refusal;
import dev.git.webhooks.common.RequiredSettings;

/** Issues, lists, revokes and recognises API keys. Keys are looked up by their SHA-256, never stored. */
@ApplicationScoped
public class ApiKeys {

    static final String KEY_PREFIX = "gdw_";

    private final byte[] adminHash;
    private final ApiConfig config;
    private final Clock clock;

    public ApiKeys(RequiredSettings settings, ApiConfig config, Clock clock) {
        this.adminHash = sha256(settings.adminKey());
        this.config = config;
        this.clock = clock;
    }

    public record Issued(ApiKey key, String secret) {
    }

    /** The caller that {@code token} stands for, if it is a live key. */
    @Transactional
    public Optional<Caller> authenticate(String token) {
        byte[] hash = sha256(token);
        if (MessageDigest.isEqual(hash, adminHash)) {
            return Optional.of(new Caller(Caller.ADMIN_KEY_ID, null, EnumSet.allOf(Scope.class),
                    config.rateLimits().admin()));
        }
        ApiKey key = ApiKey.findByHash(hash);
        if (key == null || !MessageDigest.isEqual(hash, key.keyHash)) {
            return Optional.empty();
        }
        Set<Scope> scopes = key.scopes.stream().map(Scope::of).flatMap(Optional::stream)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
        return Optional.of(new Caller(key.id, key.owner, scopes, key.rateLimit));
    }

    @Transactional
    public Issued issue(String owner, String name, List<Scope> scopes, Plan plan, Integer rateLimit) {
        String secret = KEY_PREFIX + Ids.random(40);
        ApiKey key = new ApiKey();
        key.id = Ids.newId("key");
        key.owner = owner;
        key.name = name;
        key.keyHash = sha256(secret);
        key.keyPrefix = secret.substring(0, KEY_PREFIX.length() + 6);
        key.scopes = scopes.stream().map(Scope::value).toList();
        key.plan = plan.value();
        key.rateLimit = rateLimit != null ? rateLimit : config.rateLimits().of(plan);
        key.createdAt = clock.instant();
        key.persist();
        return new Issued(key, secret);
    }

    @Transactional
    public List<ApiKey> list(String owner, PageRequest page) {
        String query = owner == null ? "seq < ?1 order by seq desc" : "seq < ?1 and owner = ?2 order by seq desc";
        var found = owner == null ? ApiKey.find(query, page.before()) : ApiKey.find(query, page.before(), owner);
        return found.page(0, page.fetchSize()).list();
    }

    /**
     * One delete statement, not a load then a delete: two revocations of one key at once then answer 204 and 404,
     * where the entity's delete of a row the other had just removed failed with an optimistic lock error (500).
     */
    @Transactional
    public void revoke(String id) {
        if (ApiKey.delete("id", id) == 0) {
            throw Refusal.notFound("API key", id);
        }
    }

    public int maxRateLimit() {
        return config.rateLimits().enterprise();
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
