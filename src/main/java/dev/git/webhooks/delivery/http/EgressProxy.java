package dev.git.webhooks.delivery.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.git.webhooks.delivery.DeliveryConfig;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;

/**
 * The operator's egress proxy ({@code webhooks.delivery.proxy}), if any: the one place that says how the client
 * reaches customers' servers, read by {@link HttpSender} at each request, so that every outbound customer call
 * (attempts, pings, ownership challenges) goes the same way. A bean of its own so that a test can put a proxy in
 * place for one test ({@code QuarkusMock}) without restarting the application.
 */
@ApplicationScoped
public class EgressProxy {

    static final String RULE = "must be http://host:port, with user:password@ when the proxy asks for them "
            + "(or webhooks.delivery.proxy-username and -password)";

    private final ProxyOptions options;

    @Inject
    public EgressProxy(DeliveryConfig config) {
        this(config.proxy(), config.proxyUsername(), config.proxyPassword());
    }

    /** A proxy at {@code url} (none when empty); {@code username} and {@code password} replace its user info. */
    public EgressProxy(Optional<String> url, Optional<String> username, Optional<String> password) {
        this.options = url.filter(u -> !u.isBlank()).map(u -> parse(u, username, password)).orElse(null);
    }

    /** The proxy to go through; empty: connect directly. */
    public Optional<ProxyOptions> options() {
        return Optional.ofNullable(options);
    }

    /** What is wrong with the setting (never echoing it: it may hold a password); empty when it is usable. */
    public static Optional<String> problem(DeliveryConfig config) {
        try {
            new EgressProxy(config);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(RULE);
        }
    }

    private static ProxyOptions parse(String url, Optional<String> username, Optional<String> password) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(RULE);
        }
        boolean plain = uri.getScheme() != null && "http".equals(uri.getScheme().toLowerCase(Locale.ROOT));
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath()))
                && uri.getRawQuery() == null && uri.getRawFragment() == null;
        if (!plain || uri.getHost() == null || uri.getPort() <= 0 || !bare) {
            throw new IllegalArgumentException(RULE);
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        ProxyOptions options = new ProxyOptions().setType(ProxyType.HTTP).setHost(host).setPort(uri.getPort());
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            options.setUsername(decode(colon < 0 ? info : info.substring(0, colon)));
            options.setPassword(colon < 0 ? null : decode(info.substring(colon + 1)));
        }
        username.ifPresent(options::setUsername);
        password.ifPresent(options::setPassword);
        if ((options.getUsername() == null) != (options.getPassword() == null)) {
            throw new IllegalArgumentException(RULE); // a user without a password: Vert.x would send no credentials
        }
        return options;
    }

    private static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
