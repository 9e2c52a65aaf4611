package dev.git.webhooks.subscription.address;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of an endpoint URL: scheme, host, port, no credentials, no fragment. A host that
 * {@link java.net.URI} does not take as a host name but that ends in a number ({@code 0x7f.1}, {@code 127.1}) is
 * still read as the address it spells, so that its refusal says what it points to.
 */
final class UrlRules {

    static final int MAX_URL_LENGTH = 2048;
    private static final Pattern REGISTRY_HOST = Pattern.compile("^([^:@\\[\\]]+)(?::([0-9]*))?$");

    /** A URL that passed the rules, with its host as written (lower case, brackets kept) and its port. */
    record Parsed(URI uri, String host, int port) {
    }

    private final boolean allowHttp;

    UrlRules(boolean allowHttp) {
        this.allowHttp = allowHttp;
    }

    Parsed parse(String url) throws DestinationRefusedException {
        if (url.length() > MAX_URL_LENGTH) {
            throw invalid("must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new DestinationRefusedException("invalid_scheme", allowHttp ? "must start with https:// or http://"
                    : "must start with https://");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("must not carry credentials (user:password@)");
        }
        if (uri.getRawFragment() != null) {
            throw invalid("must not have a #fragment");
        }
        if (uri.getRawAuthority() == null) {
            throw invalid("must name a host");
        }
        String host = uri.getHost();
        String port = uri.getPort() < 0 ? null : String.valueOf(uri.getPort());
        if (host == null) {
            Matcher registry = REGISTRY_HOST.matcher(uri.getRawAuthority());
            if (!registry.matches()) {
                throw invalid("must name a host");
            }
            port = registry.group(2) == null || registry.group(2).isEmpty() ? null : registry.group(2);
            port(port, scheme);
            if (!HostLiterals.endsInNumber(registry.group(1))) {
                throw invalid("must name a host");
            }
            host = registry.group(1);
        }
        if (host.isEmpty()) {
            throw invalid("must name a host");
        }
        return new Parsed(uri, HostNames.normalise(host), port(port, scheme));
    }

    private static int port(String port, String scheme) throws DestinationRefusedException {
        if (port == null) {
            return scheme.equals("https") ? 443 : 80;
        }
        if (port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new DestinationRefusedException("invalid_port", "has port " + port
                    + ", but a port must be from 1 to 65535");
        }
        return Integer.parseInt(port);
    }

    private static DestinationRefusedException invalid(String message) {
        return new DestinationRefusedException("invalid_url", message);
    }
}
