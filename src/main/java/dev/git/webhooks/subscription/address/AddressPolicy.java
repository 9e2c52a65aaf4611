package dev.git.webhooks.subscription.address;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Which IP addresses a webhook may reach. Refuses loopback, private, link-local, CGNAT, multicast, unspecified,
 * reserved and cloud-metadata addresses, including IPv4 hidden inside IPv6 ({@link EmbeddedIpv4}: mapped, SIIT,
 * compatible, NAT64, 6to4, Teredo), unless the address falls in a network that the operator allowed. Plain logic,
 * no I/O. The forms and their verdicts are tabled in docs/architecture.md ("Destination rules").
 */
public final class AddressPolicy {

    private record Rule(String reason, Cidr network) {
    }

    private static final List<Rule> V4 = List.of(
            rule("cloud_metadata", "169.254.169.254/32"),
            rule("cloud_metadata", "100.100.100.200/32"),
            rule("unspecified", "0.0.0.0/8"),
            rule("private", "10.0.0.0/8"),
            rule("cgnat", "100.64.0.0/10"),
            rule("loopback", "127.0.0.0/8"),
            rule("link_local", "169.254.0.0/16"),
            rule("private", "172.16.0.0/12"),
            rule("reserved", "192.0.0.0/24"),
            rule("reserved", "192.0.2.0/24"),
            rule("reserved", "192.88.99.0/24"),
            rule("private", "192.168.0.0/16"),
            rule("reserved", "198.18.0.0/15"),
            rule("reserved", "198.51.100.0/24"),
            rule("reserved", "203.0.113.0/24"),
            rule("multicast", "224.0.0.0/4"),
            rule("reserved", "240.0.0.0/4"));

    private static final List<Rule> V6 = List.of(
            rule("unspecified", "::/128"),
            rule("loopback", "::1/128"),
            rule("cloud_metadata", "fd00:ec2::254/128"),
            rule("link_local", "fe80::/10"),
            rule("private", "fec0::/10"),
            rule("private", "fc00::/7"),
            rule("multicast", "ff00::/8"),
            rule("reserved", "::/96"),
            rule("reserved", "64:ff9b::/32"),
            rule("reserved", "100::/64"),
            rule("reserved", "2001::/23"),
            rule("reserved", "2001:db8::/32"),
            rule("reserved", "3fff::/20"),
            rule("reserved", "5f00::/16"));

    private final List<Cidr> allowed;

    public AddressPolicy(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Why {@code address} may not be called, or empty when it may. */
    public Optional<String> refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (isAllowed(bytes)) {
            return Optional.empty();
        }
        if (bytes.length == 4) {
            return match(V4, bytes);
        }
        Optional<EmbeddedIpv4> embedded = EmbeddedIpv4.of(bytes);
        if (embedded.isEmpty()) {
            return match(V6, bytes);
        }
        List<byte[]> candidates = embedded.get().candidates();
        for (byte[] candidate : candidates) {
            if (candidates.size() > 1 && candidate[0] == 0) {
                continue; // a layout that this address does not use
            }
            Optional<String> reason = isAllowed(candidate) ? Optional.empty() : match(V4, candidate);
            if (reason.isPresent()) {
                return reason;
            }
        }
        // A public IPv4 inside: the mapped and translated forms may go there; the others are never a destination.
        return embedded.get().routable() ? Optional.empty() : Optional.of("reserved");
    }

    private boolean isAllowed(byte[] bytes) {
        return allowed.stream().anyMatch(network -> network.contains(bytes));
    }

    private static Optional<String> match(List<Rule> rules, byte[] bytes) {
        return rules.stream().filter(r -> r.network().contains(bytes)).map(Rule::reason).findFirst();
    }

    private static Rule rule(String reason, String cidr) {
        return new Rule(reason, Cidr.parse(cidr));
    }
}
