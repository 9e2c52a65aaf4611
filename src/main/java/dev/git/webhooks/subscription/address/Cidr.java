package dev.git.webhooks.subscription.address;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network such as {@code 10.0.0.0/8} or {@code fc00::/7}. */
public record Cidr(byte[] network, int prefixLength) {

    /** Parses without any DNS: a dotted quad or an IPv6 literal, then an optional prefix length. */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        boolean v6 = address.indexOf(':') >= 0;
        if (v6 ? !address.matches("[0-9A-Fa-f:.]+") : !HostLiterals.isDottedQuad(address)) {
            throw new IllegalArgumentException("'" + text + "' is not a network such as 10.0.0.0/8 or fc00::/7");
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (v6 && bytes.length == 4) {
                throw new IllegalArgumentException("'" + text + "': write an IPv4 network in IPv4 form");
            }
            String length = slash < 0 ? String.valueOf(bytes.length * 8) : trimmed.substring(slash + 1);
            if (!length.matches("[0-9]{1,3}") || Integer.parseInt(length) > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "' has a bad prefix length (0 to "
                        + bytes.length * 8 + ")");
            }
            return new Cidr(bytes, Integer.parseInt(length));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not a network such as 10.0.0.0/8 or fc00::/7", e);
        }
    }

    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }
}
