package dev.git.webhooks.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.git.webhooks.common.Ids;

/**
 * WireMock plays the customers' endpoints: one server for the suite, one path per test endpoint. What each path
 * received is kept apart as it arrives (the journal's own entries), so that a test polling its path reads its own
 * list, not a scan of every request the suite made so far.
 */
public final class Receivers {

    private static WireMockServer server;
    private static final Map<String, List<LoggedRequest>> POSTS = new ConcurrentHashMap<>();

    private Receivers() {
    }

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(options().dynamicPort().containerThreads(64).asynchronousResponseEnabled(true)
                    .asynchronousResponseThreads(16).jettyIdleTimeout(30_000L).extensions(new ByPath()));
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

    /** A fresh path whose endpoint answers {@code answer} every time. */
    public static String answering(ResponseDefinitionBuilder answer) {
        String path = newPath();
        server().stubFor(WireMock.post(WireMock.urlEqualTo(path)).willReturn(answer));
        return path;
    }

    /** A fresh path that only the calling test uses. */
    public static String newPath() {
        return "/hooks/" + Ids.random(12);
    }

    public static String url(String path) {
        return "http://127.0.0.1:" + server().port() + path;
    }

    /** The POSTs to {@code path} (with its query, if any), oldest first. */
    public static List<LoggedRequest> received(String path) {
        server();
        List<LoggedRequest> posts = new ArrayList<>(POSTS.getOrDefault(path, List.of()));
        posts.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        return posts;
    }

    /** Files each request under its URL as it is written to the journal, matched by a stub or not. */
    private static final class ByPath implements ServeEventListener {

        @Override
        public String getName() {
            return "received-by-path";
        }

        @Override
        public void beforeResponseSent(ServeEvent event, Parameters parameters) {
            LoggedRequest request = event.getRequest();
            if (RequestMethod.POST.equals(request.getMethod())) {
                POSTS.computeIfAbsent(request.getUrl(), url -> new CopyOnWriteArrayList<>()).add(request);
            }
        }
    }
}
