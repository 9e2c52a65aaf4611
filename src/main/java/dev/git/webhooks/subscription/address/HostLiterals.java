package dev.git.webhooks.subscription.address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Reads a URL host that spells an IP address, in every spelling that resolvers accept: dotted quads, but also
 * {@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1} (the inet_aton forms), and bracketed IPv6. A host whose
 * last label is a number ({@link #endsInNumber}) is an IPv4 address to browsers and resolvers, never a name: when
 * it does not parse ({@code 4294967296}, {@code 1.2.3.256}) it must be refused, not looked up.
 */
public final class HostLiterals {

    private HostLiterals() {
    }

    public static Optional<InetAddress> parse(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            return ipv6(host.substring(1, host.length() - 1));
        }
        if (host.indexOf(':') >= 0) {
            return ipv6(host);
        }
        return ipv4(host.endsWith(".") ? host.substring(0, host.length() - 1) : host);
    }

    /**
     * The WHATWG URL rule: the last label (after a trailing dot is dropped) is decimal digits, or {@code 0x}
     * followed by hex digits. Such a host is an IPv4 address or invalid.
     */
    public static boolean endsInNumber(String host) {
        String trimmed = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String last = trimmed.substring(trimmed.lastIndexOf('.') + 1);
        if (last.isEmpty()) {
            return false;
        }
        if (last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        return (last.startsWith("0x") || last.startsWith("0X"))
                && last.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /** Four decimal parts from 0 to 255 without leading zeros: the one spelling that every parser reads alike. */
    public static boolean isDottedQuad(String host) {
        return host.matches("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}")
                && java.util.Arrays.stream(host.split("\\.")).allMatch(p -> Integer.parseInt(p) <= 255);
    }

    private static Optional<InetAddress> ipv6(String text) {
        String address = text.contains("%") ? text.substring(0, text.indexOf('%')) : text;
        if (!address.matches("[0-9A-Fa-f:.]+")) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** inet_aton: one to four parts, each decimal, octal (leading 0) or hex (0x); the last fills the rest. */
    static Optional<InetAddress> ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length == 0 || parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long value = number(parts[i]);
            if (value == null) {
                return Optional.empty();
            }
            values[i] = value;
        }
        long result = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                return Optional.empty();
            }
            result |= values[i] << (24 - 8 * i);
        }
        long last = values[parts.length - 1];
        int lastBits = 8 * (5 - parts.length);
        if (last >= (1L << lastBits)) {
            return Optional.empty();
        }
        result |= last;
        byte[] bytes = {(byte) (result >>> 24), (byte) (result >>> 16), (byte) (result >>> 8), (byte) result};
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Long number(String part) {
        try {
            if (part.isEmpty()) {
                return null;
            }
            long value;
            if (part.startsWith("0x") || part.startsWith("0X")) {
                value = part.length() == 2 ? 0L : Long.parseLong(part.substring(2), 16);
            } else if (part.length() > 1 && part.startsWith("0")) {
                value = Long.parseLong(part.substring(1), 8);
            } else if (part.chars().allMatch(Character::isDigit)) {
                value = Long.parseLong(part);
            } else {
                return null;
            }
            return value < 0 ? null : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
