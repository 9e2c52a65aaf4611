package dev.git.webhooks.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.List;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.git.webhooks.common.Ids;

/** WireMock plays the customers' endpoints: one server for the suite, one path per test endpoint. */
public final class Receivers {

    private static WireMockServer server;

    private Receivers() {
    }

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(options().dynamicPort().containerThreads(64).asynchronousResponseEnabled(true)
                    .asynchronousResponseThreads(16).jettyIdleTimeout(30_000L));
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return server;
    }

    /** The endpoint at {@code path} answers {@code first} once, then {@code then} every time. */
    public static void firstThen(String path, ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        server().stubFor(WireMock.post(WireMock.urlEqualTo(path)).inScenario(path)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(first).willSetStateTo("then"));
        server().stubFor(WireMock.post(WireMock.urlEqualTo(path)).inScenario(path)
                .whenScenarioStateIs("then").willReturn(then));
    }

    /** A fresh path that only the calling test uses. */
    public static String newPath() {
        return "/hooks/" + Ids.random(12);
    }

    public static String url(String path) {
        return "http://127.0.0.1:" + server().port() + path;
    }

    public static List<LoggedRequest> received(String path) {
        return server().findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(path))).stream()
                .sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()))
                .collect(Collectors.toList());
    }
}
