package dev.git.webhooks.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.testing.DocSnippets;
import dev.git.webhooks.testing.Infrastructure;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import dev.git.webhooks.testing.ServiceProcess;

/**
 * The verifier jar that {@code package} builds (classifier {@code verifier}) is all a Java receiver needs: it holds
 * the verify package alone, its classes reference only the JDK, the docs name its coordinates, and the documented
 * receiver, compiled and run with that jar as its only library, accepts a real delivery of the packaged service.
 */
class VerifierJarIT {

    private static final Path DOC = Path.of("docs", "verifying-webhooks.md");
    private static final String PACKAGE = "dev/git/webhooks/verify/";
    private static final List<String> SENT = List.of("Content-Type", "X-Signature-256", "X-Webhook-Event",
            "X-Webhook-Delivery", "X-Webhook-Attempt", "webhook-id", "webhook-timestamp", "webhook-signature");

    private static Path jar() {
        Path jar = Path.of(System.getProperty("webhooks.verifier-jar", "target/missing-verifier.jar"));
        assertThat("run mvn package first: " + jar, Files.isRegularFile(jar), equalTo(true));
        return jar;
    }

    @Test
    void jarHoldsTheVerifyPackageAloneAndReferencesOnlyTheJdk() throws Exception {
        List<String> classes = new ArrayList<>();
        try (JarFile jar = new JarFile(jar().toFile())) {
            jar.stream().filter(e -> !e.isDirectory() && !e.getName().startsWith("META-INF/"))
                    .forEach(e -> classes.add(e.getName()));
        }
        assertThat(classes.stream().filter(c -> !c.startsWith(PACKAGE) || !c.endsWith(".class")).toList(), empty());
        assertThat(classes.size(), greaterThanOrEqualTo(3));

        StringWriter out = new StringWriter();
        int exit = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(out),
                "-verbose:class", "-filter:none", jar().toString());
        assertThat(out.toString(), exit, equalTo(0));
        List<String> outside = out.toString().lines().filter(l -> l.contains(" -> ") && l.startsWith(" "))
                .map(l -> l.split("->")[1].trim().split("\\s+")[0])
                .filter(target -> !target.startsWith("java.") && !target.startsWith("javax.")
                        && !target.startsWith("dev.git.webhooks.verify."))
                .distinct().toList();
        assertThat("classes the verifier needs beyond the JDK", outside, empty());
    }

    @Test
    void docsNameTheCoordinatesOfThisBuild() throws Exception {
        String[] gav = System.getProperty("webhooks.coordinates", "::").split(":");
        Element dependency = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(DocSnippets.snippet(DOC, "maven").getBytes(StandardCharsets.UTF_8)))
                .getDocumentElement();
        assertThat(text(dependency, "groupId"), equalTo(gav[0]));
        assertThat(text(dependency, "artifactId"), equalTo(gav[1]));
        assertThat(text(dependency, "version"), equalTo(gav[2]));
        assertThat(text(dependency, "classifier"), equalTo("verifier"));
        assertThat("the service's dependencies are excluded", text(dependency, "exclusions").replaceAll("\\s", ""),
                equalTo("**"));
        assertThat(DocSnippets.snippet(DOC, "gradle"), containsString("\"" + String.join(":", gav) + ":verifier\""));
        assertThat(jar().getFileName().toString(), equalTo(gav[1] + "-" + gav[2] + "-verifier.jar"));
    }

    @Test
    void documentedReceiverOnTheJarAloneVerifiesARealDelivery() throws Exception {
        Infrastructure.startOnce();
        String owner = "verifier-" + Ids.random(8);
        String path = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(204)));
        String secret;
        try (ServiceProcess service = ServiceProcess.start(ServiceProcess.environment())
                .awaitReady(Duration.ofSeconds(90))) {
            String key = service.newKey(owner, List.of("webhooks:write"));
            String webhook = service.as(key).body(Map.of("url", Receivers.url(path), "events", List.of("*")))
                    .post("/v2/webhooks").then().statusCode(201).extract().as(Json.Doc.class).at("id");
            // rotated, so that the receiver meets two signatures per header as during a customer's switch
            secret = service.as(key).body(Map.of("grace_period_seconds", 600))
                    .post("/v2/webhooks/" + webhook + "/rotate-secret").then().statusCode(200)
                    .extract().as(Json.Doc.class).at("secret");
            Kafka.publish("pr.merged", owner, "{\"event\":\"pr.merged\",\"id\":\"" + Kafka.newEventId() + "\","
                    + "\"timestamp\":\"2025-01-20T15:02:44Z\",\"owner\":\"" + owner + "\",\"data\":{\"number\":128,"
                    + "\"title\":\"Caf\u00e9 \u2603\",\"n\":1.50}}");
            await().atMost(Duration.ofSeconds(30)).until(() -> Receivers.received(path).size() == 1);
        }
        LoggedRequest delivery = Receivers.received(path).get(0);
        byte[] body = delivery.getBody();
        Map<String, String> headers = new LinkedHashMap<>();
        SENT.forEach(h -> headers.put(h, delivery.getHeader(h)));
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"n\":1.50", "\"n\":9.50")
                .getBytes(StandardCharsets.UTF_8);

        Path classes = compileReceiverAgainst(jar());
        String classpath = jar().toAbsolutePath() + File.pathSeparator + classes;
        DocSnippets.withReceiver(List.of(DocSnippets.javaBin(), "-cp", classpath, "Receiver"), secret, port -> {
            assertThat("the real delivery verifies", DocSnippets.send(port, body, headers), equalTo(204));
            assertThat("a tampered body is refused", DocSnippets.send(port, tampered, headers), equalTo(400));
        });
    }

    /** javac with the jar as the whole class path: the receiver cannot see anything else of the project. */
    private static Path compileReceiverAgainst(Path jar) throws Exception {
        Path source = DocSnippets.write(DOC, "java", "Receiver.java");
        Path classes = Files.createTempDirectory("receiver-classes-");
        StringWriter out = new StringWriter();
        int exit = ToolProvider.findFirst("javac").orElseThrow().run(new PrintWriter(out), new PrintWriter(out),
                "-classpath", jar.toAbsolutePath().toString(), "-d", classes.toString(), source.toString());
        assertThat("the documented receiver compiles against the jar: " + out, exit, equalTo(0));
        return classes;
    }

    private static String text(Element parent, String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent().trim();
    }
}
