package dev.git.webhooks.subscription.address;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where deliveries may go and how their names are resolved: the destination keys of {@code webhooks.delivery}. */
@ConfigMapping(prefix = "webhooks.delivery")
public interface DestinationConfig {

    /** Accept {@code http://} endpoint URLs (dev and tests only). */
    @WithDefault("false")
    boolean allowHttp();

    /** CIDRs exempt from the address refusal, for example {@code 127.0.0.0/8,::1/128} in dev and tests. */
    Optional<List<String>> allowedNetworks();

    /** The longest wait for the addresses of an endpoint's name; past it the attempt fails as {@code dns_timeout}. */
    @WithDefault("2s")
    Duration dnsTimeout();

    /** Threads that resolve names; each name takes at most one, however many deliveries wait for it. */
    @WithDefault("32")
    int dnsThreads();

    /** PEM file of extra CA certificates trusted for endpoints (private CAs), on top of the JVM's own. */
    Optional<String> trustStore();
}
