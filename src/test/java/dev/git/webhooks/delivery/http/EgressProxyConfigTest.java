package dev.git.webhooks.delivery.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.vertx.core.net.ProxyOptions;

/** How {@code webhooks.delivery.proxy} and its credentials are read, without Quarkus. */
class EgressProxyConfigTest {

    @Test
    void readsHostPortAndCredentialsFromTheUrl() {
        ProxyOptions proxy = proxy("http://egress:p%40ss@proxy.internal:3128", null, null);
        assertThat(proxy.getHost(), equalTo("proxy.internal"));
        assertThat(proxy.getPort(), equalTo(3128));
        assertThat(proxy.getUsername(), equalTo("egress"));
        assertThat(proxy.getPassword(), equalTo("p@ss"));
    }

    @Test
    void credentialsGivenApartReplaceThoseOfTheUrl() {
        ProxyOptions proxy = proxy("http://old:old@10.0.0.3:3128/", "egress", "s3cret");
        assertThat(proxy.getUsername(), equalTo("egress"));
        assertThat(proxy.getPassword(), equalTo("s3cret"));
    }

    @Test
    void noUrlIsNoProxy() {
        assertThat(new EgressProxy(Optional.empty(), Optional.of("u"), Optional.of("p")).options(),
                equalTo(Optional.empty()));
        assertThat(new EgressProxy(Optional.of(" "), Optional.empty(), Optional.empty()).options(),
                equalTo(Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://proxy.internal:3128", "http://proxy.internal", "proxy.internal:3128",
            "http://proxy.internal:3128/path", "http://:3128", "socks5://proxy.internal:1080"})
    void refusesWhatIsNotHttpHostPort(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EgressProxy(Optional.of(url), Optional.empty(), Optional.empty()));
        assertThat(e.getMessage(), equalTo(EgressProxy.RULE));
    }

    /** Vert.x sends proxy credentials only when both are set: one alone would be dropped without a word. */
    @Test
    void refusesAUserWithoutAPasswordOrAPasswordWithoutAUser() {
        for (Half half : List.of(
                new Half("http://egress@proxy.internal:3128", null, null),
                new Half("http://proxy.internal:3128", "egress", null),
                new Half("http://proxy.internal:3128", null, "s3cret"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EgressProxy(
                    Optional.of(half.url()), Optional.ofNullable(half.user()), Optional.ofNullable(half.password())));
            assertThat(e.getMessage(), equalTo(EgressProxy.RULE));
        }
    }

    private record Half(String url, String user, String password) {
    }

    private static ProxyOptions proxy(String url, String user, String password) {
        return new EgressProxy(Optional.of(url), Optional.ofNullable(user), Optional.ofNullable(password)).options()
                .orElseThrow();
    }
}
