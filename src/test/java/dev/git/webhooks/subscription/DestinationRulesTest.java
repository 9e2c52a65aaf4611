package dev.git.webhooks.subscription;

import static dev.git.webhooks.testing.Errors.assertInvalid;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.git.webhooks.subscription.address.DestinationConfig;
import dev.git.webhooks.subscription.address.DestinationPolicy;
import dev.git.webhooks.subscription.address.HostResolver;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.ScriptedResolver;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The SSRF corpus through the API, with production's rules: https only, and no network allowed (loopback
 * included), so that every refusal below comes from the address policy and says which rule refused it. The policy
 * with those rules takes the test policy's place for each test (no restart of the application for other settings).
 */
@QuarkusTest
class DestinationRulesTest {

    /** Production's rules: a documentation network allowed lets nothing real through, and loopback is refused. */
    record Production(DestinationConfig test) implements DestinationConfig {
        @Override
        public boolean allowHttp() {
            return false;
        }

        @Override
        public Optional<List<String>> allowedNetworks() {
            return Optional.of(List.of("192.0.2.0/24"));
        }

        @Override
        public Duration dnsTimeout() {
            return test.dnsTimeout();
        }

        @Override
        public int dnsThreads() {
            return test.dnsThreads();
        }

        @Override
        public Optional<String> trustStore() {
            return test.trustStore();
        }
    }

    @Inject
    DestinationConfig config;

    private final ScriptedResolver resolver = new ScriptedResolver()
            .answer("hooks.example.com", "93.184.215.14")
            .answer("internal.example.com", "93.184.215.14", "10.0.0.7")
            .answer("metadata.example.com", "169.254.169.254");
    private Api.Owner owner;

    @BeforeEach
    void setUp() {
        QuarkusMock.installMockForType(resolver, HostResolver.class);
        QuarkusMock.installMockForType(new DestinationPolicy(new Production(config), resolver),
                DestinationPolicy.class);
        owner = Api.newOwner();
    }

    @AfterEach
    void release() {
        resolver.release();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "https://localhost/x | loopback", "https://LOCALHOST./x | loopback", "https://sub.localhost/x | loopback",
            "https://a.b.localhost/x | loopback", "https://localhost.localdomain/x | loopback",
            "https://127.0.0.1/x | loopback", "https://2130706433/x | loopback", "https://0177.0.0.1/x | loopback",
            "https://0x7f.0.0.1/x | loopback", "https://127.1/x | loopback", "https://127.0.0.1./x | loopback",
            "https://[::1]/x | loopback", "https://[::ffff:127.0.0.1]/x | loopback",
            "https://[::127.0.0.1]/x | loopback", "https://[::ffff:0:7f00:1]/x | loopback",
            "https://[64:ff9b::7f00:1]/x | loopback", "https://[2002:7f00:1::]/x | loopback",
            "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/x | loopback",
            "https://[64:ff9b:1::a9fe:a9fe]/x | cloud metadata", "https://169.254.169.254/latest | cloud metadata",
            "https://0251.0376.0251.0376/x | cloud metadata", "https://0xa9.0xfe.0xa9.0xfe/x | cloud metadata",
            "https://0xa9fea9fe/x | cloud metadata", "https://metadata.google.internal/x | cloud metadata",
            "https://[fd00:ec2::254]/x | cloud metadata", "https://metadata.example.com/x | cloud metadata",
            "https://10.0.0.1/x | private", "https://172.16.5.4/x | private", "https://192.168.1.10/x | private",
            "https://[fd00::1]/x | private", "https://[::ffff:10.0.0.1]/x | private",
            "https://internal.example.com/x | private", "https://169.254.1.1/x | link local",
            "https://[fe80::1]/x | link local", "https://100.64.0.1/x | cgnat", "https://224.0.0.1/x | multicast",
            "https://[ff02::1]/x | multicast", "https://0.0.0.0/x | unspecified", "https://[::]/x | unspecified",
            "https://4294967296/x | neither a name nor an IPv4 address",
            "https://1.2.3.256/x | neither a name nor an IPv4 address",
            "https://8.8.8.8:0/x | port must be from 1 to 65535",
            "https://8.8.8.8:65536/x | port must be from 1 to 65535",
            "http://8.8.8.8/x | must start with https://",
            "https://93.184.216.34./x | no final dot after an address", "https://10.0.0.1./x | private"})
    void refusesWithTheReason(String url, String reason) {
        Response refused = assertInvalid(create(url), "url");
        assertThat(refused.asString(), Json.at(refused, "error.details.fields[0].message"), containsString(reason));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://8.8.8.8/hook", "https://[2606:4700:4700::1111]/hook",
            "https://hooks.example.com/hook", "https://hooks.example.com:8443/hook?x=1", "https://1.1.1.1:65535/h",
            "https://[::ffff:8.8.8.8]/hook"})
    void acceptsPublicDestinations(String url) {
        create(url).then().statusCode(201).body(Json.at("url", equalTo(url)));
    }

    private Response create(String url) {
        return owner.request().body(Map.of("url", url, "events", List.of("*"))).post("/v2/webhooks");
    }
}
