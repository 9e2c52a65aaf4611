package dev.git.webhooks.api.edge;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The plain-HTTP server does not take {@code Upgrade: h2c}. Java's {@code HttpClient} asks for it on its first
 * request by default, and such a request with a body failed in {@link HttpEdge}'s body reading with a 500 ("Request
 * has already been read"): every first POST of that client, which is what a client generated from
 * docs/openapi.yaml uses. Refused, the client goes on in HTTP/1.1 (HttpEdgeTest); HTTP/2 over TLS (ALPN) is
 * unchanged.
 */
@ApplicationScoped
public class NoCleartextUpgrade implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
