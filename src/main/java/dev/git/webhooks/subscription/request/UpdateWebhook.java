package dev.git.webhooks.subscription.request;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.git.webhooks.api.body.Patch;
import dev.git.webhooks.subscription.auth.EndpointAuth;
import dev.git.webhooks.subscription.auth.TlsClientCertificate;

/**
 * {@code PATCH /v2/webhooks/{id}}: an absent field stays as it is; {@code null} clears {@code repos},
 * {@code description}, {@code rate_limit}, {@code headers} and {@code filter}, and sets {@code max_concurrency} back to
 * the default (and is refused for the others). {@code headers} replaces the whole list (a secret value must be given
 * again). Each field given is checked as in {@link CreateWebhook}.
 */
@Schema(name = "UpdateWebhook", description = "The fields to change; absent ones keep their value.")
public record UpdateWebhook(
        @Schema(implementation = String.class, example = "https://ci.example.com/hooks/v2") Patch<String> url,
        @Schema(type = SchemaType.ARRAY, implementation = String.class, example = "[\"*\"]") Patch<List<String>> events,
        @Schema(type = SchemaType.ARRAY, implementation = String.class, nullable = true,
                description = "null: events of every repository.") Patch<List<String>> repos,
        @Schema(implementation = String.class, nullable = true, maxLength = Messages.MAX_DESCRIPTION)
        Patch<String> description,
        @Schema(implementation = Boolean.class) Patch<Boolean> active,
        @Schema(implementation = Integer.class, nullable = true, minimum = "1", maximum = "64",
                description = "null: the service's default (8).") Patch<Integer> maxConcurrency,
        @Schema(implementation = Integer.class, nullable = true, minimum = "1", maximum = "10000",
                description = "null: no limit.") Patch<Integer> rateLimit,
        @Schema(type = SchemaType.ARRAY, implementation = EndpointHeader.class, nullable = true,
                description = "The whole list; null: none.") Patch<List<EndpointHeader>> headers,
        @Schema(implementation = EndpointFilter.class, nullable = true, description = "null: none.")
        Patch<EndpointFilter> filter,
        @Schema(implementation = EndpointOrdering.class, nullable = true, description = "\"none\" or null: none.")
        Patch<EndpointOrdering> ordering,
        @Schema(type = SchemaType.ARRAY, implementation = String.class, nullable = true,
                description = "v1, v1a or both; null: [\"v1\"]. Turning v1a on makes the endpoint's Ed25519 key "
                        + "pair (once: turned off and on again, it keeps its public key).")
        Patch<List<String>> signatureSchemes,
        @Schema(implementation = Boolean.class, description = "true: a signed challenge is sent now and the "
                + "endpoint gets no events until it is answered; false: no check (an unverified endpoint is "
                + "enabled).") Patch<Boolean> verifyOwnership,
        @Schema(implementation = EndpointAuth.class, nullable = true, description = "The whole object, the secret "
                + "included; null: none.") Patch<EndpointAuth> auth,
        @Schema(implementation = TlsClientCertificate.class, nullable = true, description = "The certificate and "
                + "its key; null: none.") Patch<TlsClientCertificate> tlsClientCertificate) {

    /** A field missing from the body (or from a record made in code) is absent. */
    public UpdateWebhook {
        url = orAbsent(url);
        events = orAbsent(events);
        repos = orAbsent(repos);
        description = orAbsent(description);
        active = orAbsent(active);
        maxConcurrency = orAbsent(maxConcurrency);
        rateLimit = orAbsent(rateLimit);
        headers = orAbsent(headers);
        filter = orAbsent(filter);
        ordering = orAbsent(ordering);
        signatureSchemes = orAbsent(signatureSchemes);
        verifyOwnership = orAbsent(verifyOwnership);
        auth = orAbsent(auth);
        tlsClientCertificate = orAbsent(tlsClientCertificate);
    }

    /** A body without the ownership check nor delivery authentication. */
    public UpdateWebhook(Patch<String> url, Patch<List<String>> events, Patch<List<String>> repos,
            Patch<String> description, Patch<Boolean> active, Patch<Integer> maxConcurrency,
            Patch<Integer> rateLimit, Patch<List<EndpointHeader>> headers, Patch<EndpointFilter> filter,
            Patch<EndpointOrdering> ordering, Patch<List<String>> signatureSchemes) {
        this(url, events, repos, description, active, maxConcurrency, rateLimit, headers, filter, ordering,
                signatureSchemes, null, null, null);
    }

    /** A body without signature schemes. */
    public UpdateWebhook(Patch<String> url, Patch<List<String>> events, Patch<List<String>> repos,
            Patch<String> description, Patch<Boolean> active, Patch<Integer> maxConcurrency,
            Patch<Integer> rateLimit, Patch<List<EndpointHeader>> headers, Patch<EndpointFilter> filter,
            Patch<EndpointOrdering> ordering) {
        this(url, events, repos, description, active, maxConcurrency, rateLimit, headers, filter, ordering, null);
    }

    /** A body with the fields of the first version of the API (no delivery controls). */
    public UpdateWebhook(Patch<String> url, Patch<List<String>> events, Patch<List<String>> repos,
            Patch<String> description, Patch<Boolean> active) {
        this(url, events, repos, description, active, null, null, null, null, null, null);
    }

    private static <T> Patch<T> orAbsent(Patch<T> field) {
        return field == null ? Patch.absent() : field;
    }

    /** The fields of {@link CreateWebhook} that this body gives, by their Java names, with their values. */
    public Map<String, Object> given() {
        Map<String, Object> given = new LinkedHashMap<>();
        put(given, "url", url);
        put(given, "events", events);
        put(given, "repos", repos);
        put(given, "description", description);
        put(given, "active", active);
        put(given, "maxConcurrency", maxConcurrency);
        put(given, "rateLimit", rateLimit);
        put(given, "headers", headers);
        put(given, "filter", filter);
        put(given, "ordering", ordering);
        put(given, "signatureSchemes", signatureSchemes);
        put(given, "verifyOwnership", verifyOwnership);
        put(given, "auth", auth);
        put(given, "tlsClientCertificate", tlsClientCertificate);
        return given;
    }

    private static void put(Map<String, Object> given, String name, Patch<?> field) {
        if (field.present()) {
            given.put(name, field.value());
        }
    }
}
