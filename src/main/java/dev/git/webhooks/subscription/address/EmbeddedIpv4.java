package dev.git.webhooks.subscription.address;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The IPv4 address that an IPv6 address carries, in each form that a host or a translator turns back into IPv4.
 * {@code routable} says whether the form may be a destination when the IPv4 inside is public: the mapped and
 * NAT64 well-known forms reach that IPv4 address; the local-use NAT64 prefix (its layout is the operator's choice,
 * so every RFC 6052 position is decoded, the /96 one first) and Teredo (a tunnel into someone's network) never are.
 * Where several positions are decoded, one that reads as {@code 0.x.x.x} is taken for a position not in use.
 */
record EmbeddedIpv4(String form, List<byte[]> candidates, boolean routable) {

    static Optional<EmbeddedIpv4> of(byte[] v6) {
        if (zero(v6, 0, 10) && u8(v6, 10) == 0xff && u8(v6, 11) == 0xff) {
            return found("mapped ::ffff:0:0/96", true, slice(v6, 12, 13, 14, 15));
        }
        if (zero(v6, 0, 8) && u8(v6, 8) == 0xff && u8(v6, 9) == 0xff && zero(v6, 10, 12)) {
            return found("SIIT ::ffff:0:0:0/96", true, slice(v6, 12, 13, 14, 15));
        }
        if (zero(v6, 0, 12) && !(zero(v6, 12, 15) && u8(v6, 15) <= 1)) {
            return found("compatible ::/96", true, slice(v6, 12, 13, 14, 15)); // not :: or ::1
        }
        if (prefix(v6, 0x00, 0x64, 0xff, 0x9b) && zero(v6, 4, 12)) {
            return found("NAT64 64:ff9b::/96", true, slice(v6, 12, 13, 14, 15));
        }
        if (prefix(v6, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01)) {
            return found("NAT64 local-use 64:ff9b:1::/48", false, slice(v6, 12, 13, 14, 15), slice(v6, 6, 7, 9, 10),
                    slice(v6, 7, 9, 10, 11), slice(v6, 9, 10, 11, 12));
        }
        if (prefix(v6, 0x20, 0x02)) {
            return found("6to4 2002::/16", true, slice(v6, 2, 3, 4, 5));
        }
        if (prefix(v6, 0x20, 0x01, 0x00, 0x00)) {
            byte[] client = slice(v6, 12, 13, 14, 15);
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~client[i];
            }
            return found("Teredo 2001::/32", false, client, slice(v6, 4, 5, 6, 7));
        }
        return Optional.empty();
    }

    private static Optional<EmbeddedIpv4> found(String form, boolean routable, byte[]... candidates) {
        return Optional.of(new EmbeddedIpv4(form, Arrays.asList(candidates), routable));
    }

    private static byte[] slice(byte[] v6, int... positions) {
        byte[] v4 = new byte[positions.length];
        for (int i = 0; i < positions.length; i++) {
            v4[i] = v6[positions[i]];
        }
        return v4;
    }

    private static boolean prefix(byte[] v6, int... bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (u8(v6, i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean zero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int u8(byte[] bytes, int i) {
        return bytes[i] & 0xff;
    }
}
