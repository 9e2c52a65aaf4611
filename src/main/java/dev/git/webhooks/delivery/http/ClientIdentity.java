package dev.git.webhooks.delivery.http;

import java.util.function.Supplier;

/**
 * The client certificate an attempt presents (mutual TLS): the endpoint's certificate (PEM) and its sealed key, opened
 * by {@code key} only when a client is made for them.
 */
public record ClientIdentity(String endpointId, String certificate, byte[] sealedKey, Supplier<String> key) {
}
