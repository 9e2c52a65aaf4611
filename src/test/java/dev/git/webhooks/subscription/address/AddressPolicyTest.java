package dev.git.webhooks.subscription.address;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressPolicyTest {

    private final AddressPolicy strict = new AddressPolicy(List.of());
    private final AddressPolicy devLoopback = new AddressPolicy(List.of(Cidr.parse("127.0.0.0/8"),
            Cidr.parse("::1/128")));

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, loopback", "127.255.1.2, loopback", "::1, loopback",
            "10.1.2.3, private", "172.31.255.255, private", "192.168.0.1, private", "fd12::1, private",
            "169.254.169.254, cloud_metadata", "fd00:ec2::254, cloud_metadata", "100.100.100.200, cloud_metadata",
            "169.254.1.1, link_local", "fe80::1, link_local",
            "100.64.0.1, cgnat", "100.127.255.254, cgnat",
            "224.0.0.251, multicast", "ff02::1, multicast",
            "0.0.0.0, unspecified", "::, unspecified",
            "255.255.255.255, reserved", "192.0.2.1, reserved", "2001:db8::1, reserved",
            "::ffff:10.0.0.1, private", "::ffff:169.254.169.254, cloud_metadata", "::ffff:127.0.0.1, loopback",
            "::10.0.0.1, private", "64:ff9b::10.0.0.1, private", "2002:0a00:0001::1, private",
            "2002:7f00:0001::, loopback",
            "::ffff:0:7f00:1, loopback", "::ffff:0:a9fe:a9fe, cloud_metadata", "::ffff:0:a00:1, private",
            "::127.0.0.1, loopback", "::0.0.0.2, unspecified",
            "64:ff9b::7f00:1, loopback", "64:ff9b::a9fe:a9fe, cloud_metadata",
            "64:ff9b:1::a9fe:a9fe, cloud_metadata", "64:ff9b:1:a9fe:a9:fe00::, cloud_metadata",
            "64:ff9b:1::808:808, reserved", "64:ff9b:0:0:1::, reserved",
            "2001:0:4136:e378:8000:63bf:80ff:fffe, loopback", "2001:0:4136:e378:8000:63bf:f5ff:fffe, private",
            "2001:0:4136:e378:8000:63bf:f7f7:f7f7, reserved", "2001:10::1, reserved",
            "192.88.99.1, reserved", "3fff::1, reserved", "5f00::1, reserved"})
    void refusesInternalAddresses(String address, String reason) throws Exception {
        assertEquals(Optional.of(reason), strict.refusal(InetAddress.getByName(address)));
    }

    @ParameterizedTest
    @CsvSource({"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8",
            "64:ff9b::808:808", "2002:0808:0808::1", "::ffff:0:808:808", "2a00:1450:4001:81a::200e"})
    void acceptsPublicAddresses(String address) throws Exception {
        assertEquals(Optional.empty(), strict.refusal(InetAddress.getByName(address)));
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1", "::1", "::ffff:127.0.0.1"})
    void allowedNetworksAreExempt(String address) throws Exception {
        assertEquals(Optional.empty(), devLoopback.refusal(InetAddress.getByName(address)));
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.1, private", "169.254.169.254, cloud_metadata"})
    void allowingLoopbackAllowsNothingElse(String address, String reason) throws Exception {
        assertEquals(Optional.of(reason), devLoopback.refusal(InetAddress.getByName(address)));
    }
}
