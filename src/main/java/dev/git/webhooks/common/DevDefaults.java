package dev.git.webhooks.common;

/**
 * Values that dev mode makes up (and keeps between runs) where production requires configuration. Only dev mode
 * has a bean of this type.
 */
public interface DevDefaults {

    String adminKey();

    String encryptionKey();
}
