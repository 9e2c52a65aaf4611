package dev.git.webhooks.subscription.address;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which IP addresses a webhook may reach. Refuses loopback, private, link-local, CGNAT, multicast, unspecified,
 * reserved and cloud-metadata addresses, including IPv4 hidden inside IPv6 (mapped, compatible, NAT64, 6to4),
 * unless the address falls in a network that the operator allowed. Plain logic, no I/O.
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
            rule("reserved", "100::/64"),
            rule("reserved", "2001:db8::/32"),
            rule("reserved", "2001::/32"));

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
        if (bytes.length == 16) {
            byte[] embedded = embeddedIpv4(bytes);
            if (embedded != null) {
                return isAllowed(embedded) ? Optional.empty() : match(V4, embedded);
            }
            return match(V6, bytes);
        }
        return match(V4, bytes);
    }

    private boolean isAllowed(byte[] bytes) {
        return allowed.stream().anyMatch(network -> network.contains(bytes));
    }

    private static Optional<String> match(List<Rule> rules, byte[] bytes) {
        return rules.stream().filter(r -> r.network().contains(bytes)).map(Rule::reason).findFirst();
    }

    /** The IPv4 address carried by an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address, if any. */
    static byte[] embeddedIpv4(byte[] v6) {
        boolean zeroPrefix = allZero(v6, 0, 10);
        if (zeroPrefix && (v6[10] & 0xff) == 0xff && (v6[11] & 0xff) == 0xff) {
            return Arrays.copyOfRange(v6, 12, 16); // ::ffff:a.b.c.d
        }
        if (zeroPrefix && v6[10] == 0 && v6[11] == 0 && !allZero(v6, 12, 15)) {
            return Arrays.copyOfRange(v6, 12, 16); // ::a.b.c.d (deprecated compatible form), not :: or ::1
        }
        if (v6[0] == 0 && v6[1] == 0x64 && (v6[2] & 0xff) == 0xff && (v6[3] & 0xff) == 0x9b && allZero(v6, 4, 12)) {
            return Arrays.copyOfRange(v6, 12, 16); // 64:ff9b::a.b.c.d
        }
        if (v6[0] == 0x20 && v6[1] == 0x02) {
            return Arrays.copyOfRange(v6, 2, 6); // 2002:aabb:ccdd::
        }
        return null;
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Rule rule(String reason, String cidr) {
        return new Rule(reason, Cidr.parse(cidr));
    }
}
