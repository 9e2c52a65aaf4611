package dev.git.webhooks.delivery.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;

/** Which answers to a plain http request sent through the proxy are the proxy's own, without Quarkus. */
class ProxysOwnAnswerTest {

    @Test
    void aProxyStatusWithAnErrorOrSquidsErrorHeaderIsTheProxys() {
        assertTrue(HttpSender.proxysOwn(headers("Proxy-Status", "ExampleProxy; error=connection_refused")));
        assertTrue(HttpSender.proxysOwn(headers("X-Squid-Error", "ERR_CONNECT_FAIL 111")));
        assertFalse(HttpSender.proxysOwn(headers("Proxy-Status", "ExampleProxy; received-status=503")),
                "a status the proxy received from the endpoint is the endpoint's");
    }

    @Test
    void aProxysServerWithoutViaIsTheProxysAndWithViaTheEndpoints() {
        assertTrue(HttpSender.proxysOwn(headers("Server", "tinyproxy/1.11.1")));
        assertTrue(HttpSender.proxysOwn(headers("Server", "squid/6.1")));
        assertFalse(HttpSender.proxysOwn(headers("Server", "tinyproxy/1.11.1", "Via", "1.1 egress (tinyproxy/1.11.1)")),
                "forwarded: the proxy added Via");
        assertFalse(HttpSender.proxysOwn(headers("Server", "nginx/1.25.3")));
        assertFalse(HttpSender.proxysOwn(headers()));
    }

    private static MultiMap headers(String... namesAndValues) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }
}
