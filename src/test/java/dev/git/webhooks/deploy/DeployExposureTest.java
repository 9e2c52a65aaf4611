package dev.git.webhooks.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.not;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What deploy/ exposes, and to whom, read from the manifests as Kubernetes would: the public Service and the Ingress
 * reach the API and the console only; Prometheus scrapes the management port under the job name the alerts read;
 * the NetworkPolicy admits the ingress controller to one port and the monitoring namespace to the other, and lets
 * the instances reach what configmap.yaml points them at; a start has the minutes that migrations take.
 */
class DeployExposureTest {

    /** The job the alerts expect Prometheus to scrape the service under (WebhooksDown). */
    private static final String JOB = "git-dev-webhooks";
    /** The longest start the startup probe must allow: migrations of minutes on large tables (operations.md). */
    private static final int MIGRATION_SECONDS = 600;
    /**
     * What the JVM kept outside its heap at the peak of OverloadIT (resident set less the committed heap, MiB), and
     * the heap the packaged-service tests run it with there (ServiceProcess's -Xmx512m): docs/operations.md, Memory.
     */
    private static final int MEASURED_NON_HEAP_MIB = 290;
    private static final int TESTED_HEAP_MIB = 512;
    private static final JsonNode CONTAINER = Manifests.container();
    private static final int HTTP = Manifests.containerPort(CONTAINER, "http");
    private static final int MANAGEMENT = Manifests.containerPort(CONTAINER, "management");

    @Test
    void thePublicServiceExposesTheHttpPortOnly() {
        JsonNode service = Manifests.read("service.yaml");
        assertThat("the public Service selects the instances", service.at("/spec/selector"),
                equalTo(podLabels()));
        List<Integer> targets = targetPorts(service);
        assertThat("the public Service has ports", targets.isEmpty(), equalTo(false));
        assertThat("the public Service reaches the http port and no other", targets, everyItem(equalTo(HTTP)));
    }

    @Test
    void theManagementServiceReachesTheManagementPortOnly() {
        JsonNode service = Manifests.read("management-service.yaml");
        assertThat(service.at("/spec/selector"), equalTo(podLabels()));
        assertThat(targetPorts(service), equalTo(List.of(MANAGEMENT)));
        assertThat("not the public Service", service.at("/metadata/name").asText(),
                not(equalTo(Manifests.read("service.yaml").at("/metadata/name").asText())));
    }

    /**
     * The ServiceMonitor scrapes /q/metrics through the management Service's management port, and names the job
     * after the label the alerts read; no pod annotation points a second scrape at the public port.
     */
    @Test
    void prometheusScrapesTheManagementPortUnderTheAlertsJob() throws Exception {
        JsonNode monitor = Manifests.read("servicemonitor.yaml");
        JsonNode management = Manifests.read("management-service.yaml");
        Map<String, String> selector = labels(monitor.at("/spec/selector/matchLabels"));
        Map<String, String> labels = labels(management.at("/metadata/labels"));
        assertThat("the ServiceMonitor selects the management Service", !selector.isEmpty()
                && labels.entrySet().containsAll(selector.entrySet()), equalTo(true));
        assertThat("and not the public one", labels(Manifests.read("service.yaml").at("/metadata/labels"))
                .entrySet().containsAll(selector.entrySet()), equalTo(false));
        JsonNode endpoints = monitor.at("/spec/endpoints");
        assertThat(endpoints.size(), equalTo(1));
        String portName = endpoints.at("/0/port").asText();
        JsonNode servicePort = null;
        for (JsonNode port : management.at("/spec/ports")) {
            if (portName.equals(port.path("name").asText())) {
                servicePort = port;
            }
        }
        assertThat("the endpoint names a port of the management Service", servicePort != null, equalTo(true));
        assertThat(Manifests.port(CONTAINER, servicePort.path("targetPort")), equalTo(MANAGEMENT));
        assertThat(endpoints.at("/0/path").asText(), equalTo("/q/metrics"));
        String jobLabel = monitor.at("/spec/jobLabel").asText();
        assertThat("the job is named " + JOB, labels.get(jobLabel), equalTo(JOB));

        JsonNode annotations = Manifests.read("deployment.yaml").at("/spec/template/metadata/annotations");
        assertThat("no annotation-driven scrape beside it", annotations.path("prometheus.io/scrape").asText(),
                not(equalTo("true")));
        String alerts = Files.readString(Path.of("deploy", "monitoring", "alerts.yaml"));
        assertThat(alerts, containsString("up{job=\"" + JOB + "\"}"));
        String runbook = Files.readString(Path.of("docs", "operations.md"));
        assertThat("the runbook's scrape job for Prometheus without the Operator", runbook,
                containsString("job_name: " + JOB));
        assertThat(runbook, containsString("regex: " + management.at("/metadata/name").asText() + ";" + portName));
    }

    /** TLS for every host; only /v2 and /console, to the public Service's http port. */
    @Test
    void theIngressRoutesTheApiAndTheConsoleOverTls() {
        JsonNode ingress = Manifests.read("ingress.yaml");
        String publicService = Manifests.read("service.yaml").at("/metadata/name").asText();
        Set<String> tlsHosts = new TreeSet<>();
        for (JsonNode tls : ingress.at("/spec/tls")) {
            assertThat("a certificate secret", tls.path("secretName").asText().isBlank(), equalTo(false));
            tls.path("hosts").forEach(h -> tlsHosts.add(h.asText()));
        }
        List<String> paths = new ArrayList<>();
        for (JsonNode rule : ingress.at("/spec/rules")) {
            assertThat("served over TLS", rule.path("host").asText(), in(tlsHosts));
            for (JsonNode path : rule.at("/http/paths")) {
                paths.add(path.path("path").asText());
                assertThat(path.at("/backend/service/name").asText(), equalTo(publicService));
                JsonNode port = path.at("/backend/service/port");
                assertThat("the public Service's http port", port.has("name") ? port.path("name").asText()
                        : servicePortName(port.path("number").asInt()), equalTo("http"));
            }
        }
        assertThat(paths, equalTo(List.of("/v2", "/console")));
    }

    @Test
    void theNetworkPolicyAdmitsTheIngressToHttpAndMonitoringToManagement() {
        JsonNode policy = Manifests.read("networkpolicy.yaml");
        assertThat(policy.at("/spec/podSelector/matchLabels"), equalTo(podLabels()));
        List<String> types = new ArrayList<>();
        policy.at("/spec/policyTypes").forEach(t -> types.add(t.asText()));
        assertThat(types, hasItems("Ingress", "Egress"));
        Map<Integer, List<JsonNode>> fromByPort = new TreeMap<>();
        for (JsonNode rule : policy.at("/spec/ingress")) {
            assertThat("every rule names its ports", rule.path("ports").size() > 0, equalTo(true));
            assertThat("every rule names its sources", rule.path("from").size() > 0, equalTo(true));
            for (JsonNode port : rule.path("ports")) {
                List<JsonNode> from = fromByPort.computeIfAbsent(Manifests.port(CONTAINER, port.path("port")),
                        p -> new ArrayList<>());
                rule.path("from").forEach(from::add);
            }
        }
        assertThat("only the two ports are open", fromByPort.keySet(), equalTo(new TreeSet<>(Set.of(HTTP,
                MANAGEMENT))));
        assertThat("http from the ingress controller's namespace", namespaces(fromByPort.get(HTTP)),
                equalTo(Set.of("ingress-nginx")));
        assertThat("management from the monitoring namespace", namespaces(fromByPort.get(MANAGEMENT)),
                equalTo(Set.of("monitoring")));
    }

    /** DNS, and the ports of the PostgreSQL and Kafka addresses in configmap.yaml; deliveries on 443 and 80. */
    @Test
    void theNetworkPolicyLetsTheInstancesReachWhatTheyUse() {
        JsonNode config = Manifests.read("configmap.yaml").path("data");
        int postgres = URI.create(config.path("QUARKUS_DATASOURCE_JDBC_URL").asText().substring("jdbc:".length()))
                .getPort();
        List<Integer> kafka = new ArrayList<>();
        for (String server : config.path("KAFKA_BOOTSTRAP_SERVERS").asText().split(",")) {
            kafka.add(Integer.parseInt(server.substring(server.lastIndexOf(':') + 1)));
        }
        Set<Integer> egress = new TreeSet<>();
        List<JsonNode> internet = new ArrayList<>();
        for (JsonNode rule : Manifests.read("networkpolicy.yaml").at("/spec/egress")) {
            rule.path("ports").forEach(p -> egress.add(p.path("port").asInt()));
            rule.path("to").forEach(to -> {
                if (to.at("/ipBlock/cidr").asText().equals("0.0.0.0/0")) {
                    internet.add(rule);
                }
            });
        }
        assertThat(egress, hasItems(53, postgres));
        assertThat(egress, hasItems(kafka.toArray(Integer[]::new)));
        assertThat("deliveries go to the internet", internet.size(), equalTo(1));
        Set<Integer> web = new TreeSet<>();
        internet.get(0).path("ports").forEach(p -> web.add(p.path("port").asInt()));
        assertThat(web, equalTo(Set.of(80, 443)));
        List<String> closed = new ArrayList<>();
        internet.get(0).path("to").forEach(to -> to.at("/ipBlock/except").forEach(c -> closed.add(c.asText())));
        assertThat("private ranges stay closed", closed, hasItems("10.0.0.0/8", "172.16.0.0/12",
                "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8", "100.64.0.0/10", "fc00::/7"));
    }

    /**
     * Migrations run while an instance starts and can take minutes; the kubelet must not kill the pod meanwhile
     * (a killed migration rolls back and starts over in the next pod). Liveness and readiness wait for the startup
     * probe.
     */
    @Test
    void theStartupProbeAllowsMinutesOfMigrations() throws Exception {
        JsonNode startup = CONTAINER.path("startupProbe");
        assertThat("a startup probe", startup.isMissingNode(), equalTo(false));
        int period = startup.path("periodSeconds").asInt(10);
        int failures = startup.path("failureThreshold").asInt(3);
        int allowed = startup.path("initialDelaySeconds").asInt(0) + period * failures;
        assertThat("failureThreshold × periodSeconds (" + failures + " × " + period + " s) covers "
                + MIGRATION_SECONDS + " s of migrations", allowed >= MIGRATION_SECONDS, equalTo(true));
        assertThat(Files.readString(Path.of("docs", "operations.md")).replaceAll("\\s+", " "),
                containsString("the pod gets " + allowed / 60 + " minutes before the kubelet restarts it"));
    }

    /**
     * The limit holds the heap the image gives the JVM (a share of the limit) and, beside it, what the JVM was measured
     * to keep outside the heap, with a quarter more; the heap is at least the one the service was tested with under
     * saturation; the pod requests all it may use. The runbook works the numbers out as the manifests set them.
     */
    @Test
    void theMemoryLimitHoldsTheHeapAndWhatTheJvmKeepsOutsideIt() throws Exception {
        JsonNode resources = CONTAINER.path("resources");
        int limit = mebibytes(resources.at("/limits/memory").asText());
        assertThat("request = limit", mebibytes(resources.at("/requests/memory").asText()), equalTo(limit));
        Matcher percentage = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)")
                .matcher(Files.readString(Path.of("deploy", "Dockerfile")));
        assertThat("the image sizes the heap from the limit", percentage.find(), equalTo(true));
        int percent = Integer.parseInt(percentage.group(1));
        int heap = limit * percent / 100;
        assertThat("heap " + heap + " MiB ≥ the tested " + TESTED_HEAP_MIB, heap >= TESTED_HEAP_MIB,
                equalTo(true));
        assertThat("outside the heap " + (limit - heap) + " MiB ≥ measured " + MEASURED_NON_HEAP_MIB + " MiB + 25 %",
                limit - heap >= MEASURED_NON_HEAP_MIB * 5 / 4, equalTo(true));
        String runbook = Files.readString(Path.of("docs", "operations.md")).replaceAll("\\s+", " ");
        assertThat(runbook, containsString(limit + " MiB × " + percent + " % = " + heap + " MiB of heap, and "
                + (limit - heap) + " MiB for what the JVM keeps outside it"));
        assertThat(runbook, containsString("peaked at " + MEASURED_NON_HEAP_MIB + " MB"));
    }

    /** The image and the compose file offer the management port too; compose keeps it on the host's loopback. */
    @Test
    void theImageAndComposeOfferBothPorts() throws Exception {
        String dockerfile = Files.readString(Path.of("deploy", "Dockerfile"));
        assertThat(dockerfile, containsString("EXPOSE " + HTTP + " " + MANAGEMENT));
        List<String> published = new ArrayList<>();
        Manifests.YAML.readTree(Path.of("deploy", "compose.yaml").toFile()).at("/services/webhooks/ports")
                .forEach(p -> published.add(p.asText()));
        assertThat(published, hasItem(HTTP + ":" + HTTP));
        assertThat(published, hasItem("127.0.0.1:" + MANAGEMENT + ":" + MANAGEMENT));
        assertThat("nothing else", published.size(), equalTo(2));
        assertThat(published, not(hasItem(MANAGEMENT + ":" + MANAGEMENT)));
    }

    /** A Kubernetes quantity of memory in MiB: {@code 1Gi}, {@code 768Mi}. */
    private static int mebibytes(String quantity) {
        if (quantity.endsWith("Gi")) {
            return Integer.parseInt(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        if (quantity.endsWith("Mi")) {
            return Integer.parseInt(quantity.substring(0, quantity.length() - 2));
        }
        throw new IllegalArgumentException("write a rule for " + quantity);
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new TreeMap<>();
        node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static JsonNode podLabels() {
        return Manifests.read("deployment.yaml").at("/spec/selector/matchLabels");
    }

    private static List<Integer> targetPorts(JsonNode service) {
        List<Integer> ports = new ArrayList<>();
        service.at("/spec/ports").forEach(p -> ports.add(Manifests.port(CONTAINER, p.path("targetPort"))));
        return ports;
    }

    private static String servicePortName(int number) {
        for (JsonNode port : Manifests.read("service.yaml").at("/spec/ports")) {
            if (port.path("port").asInt() == number) {
                return port.path("name").asText();
            }
        }
        return "none";
    }

    /** The namespaces these sources admit, by their kubernetes.io/metadata.name label ("unnamed" otherwise). */
    private static Set<String> namespaces(List<JsonNode> sources) {
        Set<String> names = new TreeSet<>();
        for (JsonNode from : sources) {
            String name = from.at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText();
            names.add(name.isEmpty() ? "unnamed" : name);
        }
        return names;
    }
}
