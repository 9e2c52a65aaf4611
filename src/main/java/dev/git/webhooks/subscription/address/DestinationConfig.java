package dev.git.webhooks.subscription.address;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where deliveries may go: {@code webhooks.delivery.allow-http} and {@code webhooks.delivery.allowed-networks}. */
@ConfigMapping(prefix = "webhooks.delivery")
public interface DestinationConfig {

    /** Accept {@code http://} endpoint URLs (dev and tests only). */
    @WithDefault("false")
    boolean allowHttp();

    /** CIDRs exempt from the address refusal, for example {@code 127.0.0.0/8,::1/128} in dev and tests. */
    Optional<List<String>> allowedNetworks();
}
