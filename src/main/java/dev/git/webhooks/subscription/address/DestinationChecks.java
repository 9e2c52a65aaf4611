package dev.git.webhooks.subscription.address;

import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;

import dev.git.webhooks.common.SettingsCheck;
import dev.git.webhooks.common.SettingsProblems;

/** The destination keys, checked at startup: every allowed network parses, DNS bounds are sane, the CAs load. */
@ApplicationScoped
public class DestinationChecks implements SettingsCheck {

    static final String PREFIX = "webhooks.delivery";

    private final DestinationConfig config;

    public DestinationChecks(DestinationConfig config) {
        this.config = config;
    }

    @Override
    public void check(SettingsProblems problems) {
        problems.general(PREFIX, DestinationConfig.class, config);
        for (String network : config.allowedNetworks().orElse(java.util.List.of())) {
            try {
                Cidr.parse(network);
            } catch (IllegalArgumentException e) {
                problems.add(PREFIX + ".allowed-networks", "is invalid: " + e.getMessage());
            }
        }
        problems.positive(PREFIX + ".dns-timeout", config.dnsTimeout());
        problems.check(config.dnsThreads() >= 1 && config.dnsThreads() <= 1024, PREFIX + ".dns-threads",
                "must be from 1 to 1024, not " + config.dnsThreads());
        config.trustStore().filter(p -> !p.isBlank()).ifPresent(path -> {
            try {
                EndpointTrust.read(Path.of(path));
            } catch (Exception e) {
                problems.add(PREFIX + ".trust-store", "must be a PEM file of CA certificates: " + e.getMessage());
            }
        });
    }
}
