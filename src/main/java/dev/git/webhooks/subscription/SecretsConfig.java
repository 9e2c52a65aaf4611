package dev.git.webhooks.subscription;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** {@code webhooks.secrets.*}: the keys that encrypt signing secrets at rest. */
@ConfigMapping(prefix = "webhooks.secrets")
public interface SecretsConfig {

    /** Base64 of 32 bytes; required in production. New secrets are encrypted with it. */
    Optional<String> encryptionKey();

    /** Former encryption keys (base64), still used to decrypt secrets written under them. */
    Optional<List<String>> retiredEncryptionKeys();
}
