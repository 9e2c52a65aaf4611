package dev.git.webhooks.subscription.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostLiteralsTest {

    @ParameterizedTest
    @CsvSource({"127.0.0.1, 127.0.0.1", "2130706433, 127.0.0.1", "0x7f000001, 127.0.0.1", "0177.0.0.1, 127.0.0.1",
            "127.1, 127.0.0.1", "0x7f.1, 127.0.0.1", "0251.0376.0251.0376, 169.254.169.254",
            "0xa9.0xfe.0xa9.0xfe, 169.254.169.254", "169.254.43518, 169.254.169.254", "10.0.0.1., 10.0.0.1",
            "[::1], 0:0:0:0:0:0:0:1", "[::ffff:a00:1], 10.0.0.1"})
    void readsEverySpellingOfAnAddress(String host, String address) {
        assertEquals(address, HostLiterals.parse(host).orElseThrow().getHostAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"4294967296", "1.2.3.256", "256.1.1.1", "1.2.3.4.5", "99999999999", "0x100000000",
            "08", "1.2.0x10000"})
    void numbersThatAreNoAddressAreStillNumbers(String host) {
        assertTrue(HostLiterals.endsInNumber(host), host + " ends in a number");
        assertEquals(Optional.empty(), HostLiterals.ipv4(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "1e100.net", "0xg1", "a.b.c.d", "1.2.3.4a", "cafe", "localhost."})
    void namesDoNotEndInANumber(String host) {
        assertFalse(HostLiterals.endsInNumber(host), host + " is a name");
    }

    @ParameterizedTest
    @CsvSource({"8.8.8.8, true", "0.0.0.0, true", "255.255.255.255, true", "08.8.8.8, false", "8.8.8, false",
            "256.1.1.1, false", "0x8.8.8.8, false", "8.8.8.8., false"})
    void onlyFourPlainDecimalsAreADottedQuad(String host, boolean quad) {
        assertEquals(quad, HostLiterals.isDottedQuad(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "cafe.be", "1e100.net", "0x.example", "256.1.1.1.1", "1.2.3.256",
            "99999999999", "0xg1", "a.b.c.d", "[not-an-ip]"})
    void leavesNamesAlone(String host) {
        assertEquals(Optional.empty(), HostLiterals.parse(host));
    }
}
