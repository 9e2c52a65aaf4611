package dev.git.webhooks.subscription.address;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.git.webhooks.testing.ScriptedResolver;

/** The URL and address rules as production applies them (no allowed networks), without Quarkus. */
class DestinationPolicyTest {

    record Config(boolean allowHttp, Optional<List<String>> allowedNetworks, Duration dnsTimeout, int dnsThreads,
            Optional<String> trustStore) implements DestinationConfig {
    }

    private final ScriptedResolver resolver = new ScriptedResolver()
            .answer("hooks.example.com", "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c")
            .answer("internal.example.com", "93.184.215.14", "10.0.0.7")
            .answer("aws.example.com", "169.254.169.254")
            .hang("slow.example.com");
    private final DestinationPolicy strict = policy(true, List.of());

    @AfterEach
    void release() {
        resolver.release();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            // names that are loopback without DNS (RFC 6761), in every case and with the trailing dot
            "http://localhost/x, loopback", "http://LOCALHOST./x, loopback", "http://sub.localhost/x, loopback",
            "http://a.b.localhost./x, loopback", "http://localhost.localdomain/x, loopback",
            "http://ip6-localhost/x, loopback",
            // IPv4 spellings: decimal, octal, hex, short forms, trailing dot
            "http://127.0.0.1/x, loopback", "http://2130706433/x, loopback", "http://0177.0.0.1/x, loopback",
            "http://0x7f.0.0.1/x, loopback", "http://0x7f000001/x, loopback", "http://017700000001/x, loopback",
            "http://127.1/x, loopback", "http://127.0.0.1./x, loopback", "http://127.000.000.001/x, loopback",
            // IPv6 and IPv4 inside IPv6
            "http://[::1]/x, loopback", "http://[0:0:0:0:0:0:0:1]/x, loopback", "http://[::ffff:127.0.0.1]/x, loopback",
            "http://[::ffff:7f00:1]/x, loopback", "http://[::127.0.0.1]/x, loopback",
            "http://[::ffff:0:7f00:1]/x, loopback", "http://[64:ff9b::7f00:1]/x, loopback",
            "http://[64:ff9b:1::a9fe:a9fe]/x, cloud_metadata", "http://[2002:7f00:1::]/x, loopback",
            "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/x, loopback",
            "http://[::ffff:127.0.0.1%25eth0]/x, loopback",
            // metadata names and addresses
            "http://169.254.169.254/latest, cloud_metadata", "http://0xa9fea9fe/x, cloud_metadata",
            "http://0251.0376.0251.0376/x, cloud_metadata", "http://0xa9.0xfe.0xa9.0xfe/x, cloud_metadata",
            "http://169.254.43518/x, cloud_metadata", "http://metadata.google.internal./x, cloud_metadata",
            "http://METADATA/x, cloud_metadata", "http://[fd00:ec2::254]/x, cloud_metadata",
            "http://100.100.100.200/x, cloud_metadata", "http://[::ffff:a9fe:a9fe]/x, cloud_metadata",
            // private, link-local, CGNAT, multicast, unspecified, reserved
            "http://10.0.0.1/x, private", "http://172.16.5.4/x, private", "http://192.168.1.10/x, private",
            "http://[fd00::1]/x, private", "http://[::ffff:0:a00:1]/x, private", "http://169.254.1.1/x, link_local",
            "http://[fe80::1]/x, link_local", "http://[fe80::1%25eth0]/x, link_local",
            "http://100.64.0.1/x, cgnat", "http://224.0.0.1/x, multicast", "http://[ff02::1]/x, multicast",
            "http://0.0.0.0/x, unspecified", "http://0/x, unspecified", "http://[::]/x, unspecified",
            "http://240.0.0.1/x, reserved", "http://[2001:db8::1]/x, reserved",
            // names that resolve to refused addresses (every address is vetted, not just the first)
            "https://internal.example.com/x, private", "https://aws.example.com/x, cloud_metadata",
            // numbers that are no address, and ports out of range
            "http://4294967296/x, invalid_host", "http://1.2.3.256/x, invalid_host", "http://256.1.1.1/x, invalid_host",
            "http://1.2.3.4.5/x, invalid_host", "http://99999999999/x, invalid_host", "http://08/x, invalid_host",
            "http://0x08080808/x, invalid_host", "http://8.8.8.8:0/x, invalid_port", "http://8.8.8.8:65536/x, invalid_port",
            "http://hooks.example.com:99999999999/x, invalid_port",
            // shapes
            "ftp://8.8.8.8/x, invalid_scheme", "http://user:pw@8.8.8.8/x, invalid_url", "http://8.8.8.8/x#f, invalid_url",
            "http://ex%41mple.com/x, invalid_url", "http:///x, invalid_url"})
    void refusesAtCreate(String url, String reason) {
        DestinationRefusedException refused = assertThrows(DestinationRefusedException.class, () -> strict.check(url));
        assertThat(url + ": " + refused.getMessage(), refused.reason(), equalTo(reason));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://8.8.8.8/x", "https://1.1.1.1:8443/x?a=1", "https://[2606:4700:4700::1111]/x",
            "https://[::ffff:8.8.8.8]/x", "https://[64:ff9b::808:808]/x", "https://[2002:808:808::1]/x",
            "https://hooks.example.com/x", "https://not-resolvable.example.com/x", "https://slow.example.com/x",
            "https://hooks.example.com.:65535/x", "https://1.1.1.1:1/x"})
    void acceptsPublicDestinationsAndNamesThatDoNotResolveYet(String url) throws Exception {
        assertThat(strict.check(url), equalTo(new URI(url)));
    }

    @Test
    void withHttpNotAllowedOnlyHttpsIsAccepted() throws Exception {
        DestinationPolicy httpsOnly = policy(false, List.of());
        DestinationRefusedException refused = assertThrows(DestinationRefusedException.class,
                () -> httpsOnly.check("http://8.8.8.8/x"));
        assertThat(refused.reason(), equalTo("invalid_scheme"));
        assertThat(refused.getMessage(), equalTo("must start with https://"));
        assertThat(httpsOnly.check("https://8.8.8.8/x").getScheme(), equalTo("https"));
    }

    @Test
    void allowedNetworksLetLoopbackNamesThroughAndConnectToTheLoopbackAddress() throws Exception {
        DestinationPolicy dev = policy(true, List.of("127.0.0.0/8", "::1/128"));
        assertThat(dev.check("http://sub.localhost:8080/x").getHost(), equalTo("sub.localhost"));
        InetAddress address = dev.resolve(new URI("http://sub.localhost:8080/x")).toCompletableFuture().get();
        assertThat(address.getHostAddress(), equalTo("127.0.0.1"));
        assertThrows(DestinationRefusedException.class, () -> dev.check("http://10.0.0.1/x"));
    }

    @Test
    void aNameReboundToARefusedAddressIsRefusedAtConnect() throws Exception {
        ScriptedResolver rebinding = new ScriptedResolver().answers("rebind.example.com", List.of("93.184.215.14"),
                List.of("93.184.215.14", "127.0.0.1"));
        DestinationPolicy policy = new DestinationPolicy(new Config(true, Optional.empty(), Duration.ofSeconds(1), 4,
                Optional.empty()), rebinding);
        URI url = policy.check("https://rebind.example.com/x");
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> policy.resolve(url).toCompletableFuture().get(5, TimeUnit.SECONDS));
        DestinationRefusedException refused = (DestinationRefusedException) failed.getCause();
        assertThat(refused.reason(), equalTo("loopback"));
        assertThat(refused.getMessage(), containsString("rebind.example.com"));
        // the customer learns that the name is refused, not which address it has inside the service's network
        assertThat(refused.getMessage(), org.hamcrest.Matchers.not(containsString("127.0.0.1")));
        assertThat(rebinding.calls("rebind.example.com"), equalTo(2));
    }

    @Test
    void aHangingNameTimesOutAloneWhileOtherNamesResolve() throws Exception {
        DestinationPolicy policy = new DestinationPolicy(new Config(true, Optional.empty(), Duration.ofMillis(500), 4,
                Optional.empty()), resolver);
        URI slow = new URI("https://slow.example.com/x");
        List<CompletableFuture<InetAddress>> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            waiting.add(policy.resolve(slow).toCompletableFuture());
        }
        long start = System.nanoTime();
        InetAddress fine = policy.resolve(new URI("https://hooks.example.com/x")).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertThat(fine.getHostAddress(), equalTo("93.184.215.14"));
        assertThat("the other name did not wait", (System.nanoTime() - start) / 1_000_000, lessThan(300L));
        ExecutionException timedOut = assertThrows(ExecutionException.class,
                () -> waiting.get(19).get(5, TimeUnit.SECONDS));
        assertThat(((DestinationRefusedException) timedOut.getCause()).reason(), equalTo("dns_timeout"));
        assertThat("one lookup per name, however many wait", resolver.calls("slow.example.com"), equalTo(1));
    }

    @Test
    void aNameThatDoesNotResolveFailsAtConnect() throws Exception {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> strict.resolve(
                new URI("https://not-resolvable.example.com/x")).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertThat(((DestinationRefusedException) failed.getCause()).reason(), equalTo("dns_failure"));
    }

    private DestinationPolicy policy(boolean allowHttp, List<String> allowed) {
        return new DestinationPolicy(new Config(allowHttp, Optional.of(allowed), Duration.ofMillis(300), 4,
                Optional.empty()), resolver);
    }
}
