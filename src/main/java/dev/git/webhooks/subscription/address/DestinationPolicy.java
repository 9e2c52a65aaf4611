package dev.git.webhooks.subscription.address;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The URL rules of an endpoint, checked when a URL is set and again at every connection (DNS can change): the
 * scheme, the shape of the URL, and the address the host resolves to.
 */
@ApplicationScoped
public class DestinationPolicy {

    public static final int MAX_URL_LENGTH = 2048;
    private static final Set<String> METADATA_NAMES = Set.of("metadata", "metadata.google.internal",
            "metadata.goog", "instance-data", "instance-data.ec2.internal");

    private final boolean allowHttp;
    private final AddressPolicy addresses;

    public DestinationPolicy(DestinationConfig config) {
        this.allowHttp = config.allowHttp();
        this.addresses = new AddressPolicy(config.allowedNetworks().orElse(List.of()).stream()
                .filter(s -> !s.isBlank()).map(Cidr::parse).toList());
    }

    /** Checks a URL given by a customer; names that do not resolve yet are accepted and checked at connect time. */
    public URI check(String url) throws DestinationRefusedException {
        URI uri = parse(url);
        try {
            vetted(uri);
        } catch (UnknownHostException e) {
            // Not resolvable now: allowed; the connect-time check decides.
        }
        return uri;
    }

    /** Resolves the host of an endpoint URL for a connection: the first address, after vetting every one. */
    public InetAddress resolve(URI uri) throws DestinationRefusedException {
        try {
            return vetted(uri);
        } catch (UnknownHostException e) {
            throw new DestinationRefusedException("dns_failure", "The host " + host(uri) + " does not resolve.");
        }
    }

    private InetAddress vetted(URI uri) throws DestinationRefusedException, UnknownHostException {
        String host = host(uri);
        if (METADATA_NAMES.contains(host)) {
            throw refused("cloud_metadata", host);
        }
        Optional<InetAddress> literal = HostLiterals.parse(host);
        InetAddress[] all = literal.isPresent() ? new InetAddress[] {literal.get()} : InetAddress.getAllByName(host);
        for (InetAddress address : all) {
            vet(address, host);
        }
        return all[0];
    }

    public URI parse(String url) throws DestinationRefusedException {
        if (url.length() > MAX_URL_LENGTH) {
            throw new DestinationRefusedException("invalid_url", "must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new DestinationRefusedException("invalid_url", "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new DestinationRefusedException("invalid_scheme", allowHttp ? "must start with https:// or http://"
                    : "must start with https://");
        }
        if (uri.getRawAuthority() == null || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new DestinationRefusedException("invalid_url", "must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new DestinationRefusedException("invalid_url", "must not carry credentials (user:password@)");
        }
        if (uri.getRawFragment() != null) {
            throw new DestinationRefusedException("invalid_url", "must not have a #fragment");
        }
        return uri;
    }

    private static String host(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return host.endsWith(".") && !host.startsWith("[") ? host.substring(0, host.length() - 1) : host;
    }

    private void vet(InetAddress address, String host) throws DestinationRefusedException {
        Optional<String> reason = addresses.refusal(address);
        if (reason.isPresent()) {
            throw refused(reason.get(), host + " (" + address.getHostAddress() + ")");
        }
    }

    private static DestinationRefusedException refused(String reason, String what) {
        return new DestinationRefusedException(reason,
                "points to a " + reason.replace('_', ' ') + " address, which webhooks may not reach: " + what);
    }
}
