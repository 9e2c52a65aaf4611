package dev.git.webhooks.subscription.address;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The URL rules of an endpoint, checked when a URL is set and again at every connection (DNS can change): the
 * shape of the URL ({@link UrlRules}), then the addresses its host stands for. Literal addresses and the names
 * decided without DNS ({@link HostNames}) are vetted at once; other names are resolved on {@link Resolutions}, and
 * every address they resolve to is vetted. A connection goes to the first vetted address, never to a fresh lookup.
 */
@ApplicationScoped
public class DestinationPolicy {

    public static final int MAX_URL_LENGTH = UrlRules.MAX_URL_LENGTH;

    /** Most endpoints' URLs, parsed: an attempt checks its URL's shape without parsing it again (bounded). */
    private static final int PARSED_KEPT = 10_000;

    private final UrlRules urls;
    private final java.util.Map<String, UrlRules.Parsed> parsed = new java.util.concurrent.ConcurrentHashMap<>();
    private final AddressPolicy addresses;
    private final Resolutions resolutions;

    public DestinationPolicy(DestinationConfig config, HostResolver resolver) {
        this.urls = new UrlRules(config.allowHttp());
        this.addresses = new AddressPolicy(allowedNetworks(config));
        this.resolutions = new Resolutions(resolver, config.dnsTimeout(), config.dnsThreads());
    }

    /** The operator's allowed networks; {@link DestinationChecks} has refused a start with a bad one. */
    static List<Cidr> allowedNetworks(DestinationConfig config) {
        return config.allowedNetworks().orElse(List.of()).stream().filter(s -> !s.isBlank()).map(Cidr::parse)
                .toList();
    }

    @PreDestroy
    void close() {
        resolutions.close();
    }

    /**
     * Checks a URL given by a customer. Blocks for at most the DNS timeout; a name that does not resolve (or not in
     * time) is accepted, and the connect-time check decides.
     */
    public URI check(String url) throws DestinationRefusedException {
        UrlRules.Parsed parsed = urls.parse(url);
        try {
            vetted(parsed).toCompletableFuture().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DestinationRefusedException refused) {
                throw refused;
            }
            // Not resolvable now: allowed; the connect-time check decides.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return usable(parsed).uri();
    }

    /**
     * A host that java.net.URI cannot read (an address with a final dot, a name with an underscore) was read by
     * {@link UrlRules}'s fallback, so that its address could be checked; it cannot be connected to, so it is refused
     * (at create, and at send for an endpoint stored before this check).
     */
    private static UrlRules.Parsed usable(UrlRules.Parsed parsed) throws DestinationRefusedException {
        if (parsed.uri().getHost() == null) {
            throw new DestinationRefusedException("invalid_url", "must name its host in a form this service connects "
                    + "to: no underscore in a name, no final dot after an address");
        }
        return parsed;
    }

    /** The shape of a URL alone, without looking at its host's addresses. */
    public URI parse(String url) throws DestinationRefusedException {
        return usable(parsed(url)).uri();
    }

    /** {@link UrlRules#parse}, kept for the URLs it accepted (a refusal is not kept: it is thrown again). */
    private UrlRules.Parsed parsed(String url) throws DestinationRefusedException {
        UrlRules.Parsed known = parsed.get(url);
        if (known != null) {
            return known;
        }
        UrlRules.Parsed fresh = urls.parse(url);
        if (parsed.size() >= PARSED_KEPT) {
            parsed.clear();
        }
        parsed.put(url, fresh);
        return fresh;
    }

    /**
     * The address to connect to for {@code uri}: the first one, after vetting every one. Never blocks. Fails with
     * {@link DestinationRefusedException}: reason {@code dns_timeout} when the name did not resolve in time,
     * {@code dns_failure} when it does not resolve, or the refusal of an address.
     */
    public CompletionStage<InetAddress> resolve(URI uri) {
        UrlRules.Parsed shape;
        try {
            shape = parsed(uri.toString());
        } catch (DestinationRefusedException e) {
            return CompletableFuture.failedFuture(e);
        }
        return vetted(shape).exceptionallyCompose(e -> CompletableFuture.failedFuture(lookupFailure(shape, e)));
    }

    private CompletionStage<InetAddress> vetted(UrlRules.Parsed parsed) {
        String host = parsed.host();
        try {
            Optional<InetAddress[]> fixed = fixedAddresses(host);
            if (fixed.isPresent()) {
                return CompletableFuture.completedFuture(vet(fixed.get(), host));
            }
        } catch (DestinationRefusedException e) {
            return CompletableFuture.failedFuture(e);
        }
        return resolutions.lookup(host).thenApply(all -> {
            try {
                return vet(all, host);
            } catch (DestinationRefusedException e) {
                throw new CompletionException(e);
            }
        });
    }

    /** The addresses of a host known without DNS (literals, loopback names), or empty for a name to resolve. */
    private Optional<InetAddress[]> fixedAddresses(String host) throws DestinationRefusedException {
        if (host.startsWith("[")) {
            InetAddress literal = HostLiterals.parse(host).orElseThrow(() -> new DestinationRefusedException(
                    "invalid_url", "must name a host"));
            return Optional.of(new InetAddress[] {literal});
        }
        if (HostLiterals.endsInNumber(host)) {
            Optional<InetAddress> literal = HostLiterals.ipv4(host);
            if (literal.isEmpty()) {
                throw new DestinationRefusedException("invalid_host", "has the host " + host
                        + ", which is neither a name nor an IPv4 address (a number out of range)");
            }
            vet(new InetAddress[] {literal.get()}, host);
            if (!HostLiterals.isDottedQuad(host)) {
                throw new DestinationRefusedException("invalid_host", "spells the address "
                        + literal.get().getHostAddress() + " as " + host + "; write it as "
                        + literal.get().getHostAddress());
            }
            return Optional.of(new InetAddress[] {literal.get()});
        }
        if (HostNames.isMetadata(host)) {
            throw refused("cloud_metadata", host);
        }
        return HostNames.isLoopback(host) ? Optional.of(HostNames.loopbackAddresses()) : Optional.empty();
    }

    private InetAddress vet(InetAddress[] all, String host) throws DestinationRefusedException {
        for (InetAddress address : all) {
            Optional<String> reason = addresses.refusal(address);
            if (reason.isPresent()) {
                // the name only: the address it resolves to inside the network is not the customer's to learn
                throw refused(reason.get(), host);
            }
        }
        return all[0];
    }

    private Throwable lookupFailure(UrlRules.Parsed parsed, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof DestinationRefusedException) {
            return cause;
        }
        if (cause instanceof TimeoutException) {
            return new DestinationRefusedException("dns_timeout", "The host " + parsed.host()
                    + " did not resolve within " + resolutions.timeout().toMillis() + " ms.");
        }
        if (cause instanceof UnknownHostException) {
            return new DestinationRefusedException("dns_failure", "The host " + parsed.host() + " does not resolve.");
        }
        return new DestinationRefusedException("dns_failure", "The host " + parsed.host() + " could not be resolved: "
                + cause.getClass().getSimpleName());
    }

    private static DestinationRefusedException refused(String reason, String what) {
        return new DestinationRefusedException(reason,
                "points to a " + reason.replace('_', ' ') + " address, which webhooks may not reach: " + what);
    }
}
