package dev.git.webhooks.subscription.address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Names that are decided without DNS. Every name under {@code localhost} is loopback (RFC 6761 §6.3, which also
 * asks applications to answer such names themselves), as are the loopback names of common hosts files; the cloud
 * metadata services have well-known names. A trailing dot (the absolute spelling) changes nothing.
 */
final class HostNames {

    private static final Set<String> LOOPBACK = Set.of("localhost", "localhost.localdomain", "localhost4",
            "localhost4.localdomain4", "localhost6", "localhost6.localdomain6", "ip6-localhost", "ip6-loopback");
    private static final Set<String> METADATA = Set.of("metadata", "metadata.google.internal", "metadata.goog",
            "instance-data", "instance-data.ec2.internal", "metadata.azure.internal");
    private static final InetAddress[] LOOPBACK_ADDRESSES = loopbackAddresses();

    private HostNames() {
    }

    /** Lower case and without one trailing dot (a bracketed IPv6 literal is left as it is). */
    static String normalise(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") && !lower.startsWith("[") ? lower.substring(0, lower.length() - 1) : lower;
    }

    static boolean isLoopback(String name) {
        return LOOPBACK.contains(name) || name.endsWith(".localhost");
    }

    static boolean isMetadata(String name) {
        return METADATA.contains(name);
    }

    /** What a loopback name stands for: both loopback addresses, so that either may be refused or allowed. */
    static InetAddress[] loopbackAddresses() {
        if (LOOPBACK_ADDRESSES != null) {
            return LOOPBACK_ADDRESSES.clone();
        }
        try {
            return new InetAddress[] {InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}),
                    InetAddress.getByAddress("localhost", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})};
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
