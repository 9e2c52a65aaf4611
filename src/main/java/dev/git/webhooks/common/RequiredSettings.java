package dev.git.webhooks.common;

import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;

/**
 * The settings without which the service must not run, and every feature's {@link SettingsCheck}. Checked at
 * startup: the service refuses to start with one message that names every missing or invalid key (and its
 * environment variable); dev mode fills in the keys it can make up.
 */
/* Before the application's own startup observers (the Kafka consumer), after dev mode's embedded services. */
@Startup(Interceptor.Priority.LIBRARY_BEFORE)
@ApplicationScoped
public class RequiredSettings {

    public static final String ADMIN_KEY = "webhooks.admin-key";
    public static final String ENCRYPTION_KEY = "webhooks.secrets.encryption-key";
    static final List<String> CONNECTIONS = List.of("kafka.bootstrap.servers", "quarkus.datasource.jdbc.url");

    private final String adminKey;
    private final byte[] encryptionKey;

    public RequiredSettings(Config config, Instance<DevDefaults> dev, @Any Instance<SettingsCheck> checks) {
        Optional<DevDefaults> defaults = dev.isResolvable() ? Optional.of(dev.get()) : Optional.empty();
        SettingsProblems problems = new SettingsProblems();
        String admin = config.getOptionalValue(ADMIN_KEY, String.class)
                .or(() -> defaults.map(DevDefaults::adminKey)).orElse(null);
        if (admin == null) {
            problems.missing(ADMIN_KEY);
        } else {
            problems.check(admin.length() >= 16, ADMIN_KEY, "must be at least 16 characters");
        }
        String key = config.getOptionalValue(ENCRYPTION_KEY, String.class)
                .or(() -> defaults.map(DevDefaults::encryptionKey)).orElse(null);
        byte[] decoded = null;
        if (key == null) {
            problems.missing(ENCRYPTION_KEY);
        } else {
            decoded = decodeKey(key);
            problems.check(decoded != null, ENCRYPTION_KEY, "must be base64 of exactly 32 bytes");
        }
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            for (String name : CONNECTIONS) {
                if (config.getOptionalValue(name, String.class).filter(v -> !v.isBlank()).isEmpty()) {
                    problems.missing(name);
                }
            }
        }
        for (SettingsCheck check : checks) {
            check.check(problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Missing or invalid configuration: " + String.join("; ", problems.all())
                    + ". See docs/configuration.md.");
        }
        this.adminKey = admin;
        this.encryptionKey = decoded;
    }

    public String adminKey() {
        return adminKey;
    }

    public byte[] encryptionKey() {
        return encryptionKey.clone();
    }

    /** Base64 of exactly 32 bytes, or null. */
    public static byte[] decodeKey(String base64) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64.trim());
            return bytes.length == 32 ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
