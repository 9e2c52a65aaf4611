package dev.git.webhooks.deploy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.git.webhooks.common.RequiredSettings;
import dev.git.webhooks.delivery.DeliveryConfig;
import dev.git.webhooks.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * The deploy/ files stay true to the service: every environment variable they set is a configuration key the
 * service reads, the probes point at health endpoints that answer, and every key is documented.
 */
@QuarkusTest
class DeployManifestsTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Keys the service reads outside its own mappings: Quarkus and Kafka settings, and the admin key. */
    private static final Set<String> OTHER_KEYS = Set.of(RequiredSettings.ADMIN_KEY, "kafka.bootstrap.servers",
            "quarkus.datasource.jdbc.url", "quarkus.datasource.username", "quarkus.datasource.password",
            "quarkus.datasource.jdbc.max-size", "quarkus.http.port", "quarkus.management.port",
            "quarkus.http.proxy.proxy-address-forwarding", "quarkus.http.proxy.allow-x-forwarded");
    /** PostgreSQL's default {@code max_connections} less its default {@code superuser_reserved_connections}. */
    private static final int POSTGRES_CONNECTIONS = 100 - 3;

    @Test
    void everyEnvironmentVariableIsARealConfigurationKey() throws Exception {
        Set<String> known = new TreeSet<>(OTHER_KEYS);
        known.addAll(mappingKeys());
        Set<String> knownVariables = new TreeSet<>();
        known.forEach(key -> knownVariables.add(env(key)));

        List<String> set = environmentVariables();
        assertThat("the manifests set variables", set.size() > 10, equalTo(true));
        List<String> unknown = set.stream().filter(v -> !knownVariables.contains(v)).toList();
        assertThat("variables that no configuration key reads", unknown, empty());
        assertThat(set, hasItems("WEBHOOKS_ADMIN_KEY", "WEBHOOKS_SECRETS_ENCRYPTION_KEY", "KAFKA_BOOTSTRAP_SERVERS",
                "QUARKUS_DATASOURCE_JDBC_URL"));
    }

    /**
     * Every probe asks the management port for a health endpoint that answers UP there; the same path on the public
     * port is a 404, so a probe pointed at it would restart every pod.
     */
    @Test
    void probesPointAtHealthEndpointsOnTheManagementPort() throws Exception {
        JsonNode container = Manifests.container();
        int http = Manifests.containerPort(container, "http");
        int management = Manifests.containerPort(container, "management");
        assertThat("the container listens on both ports", http * management > 0 && http != management, equalTo(true));
        assertThat("QUARKUS_HTTP_PORT is the http port", Manifests.env(container, "QUARKUS_HTTP_PORT"),
                equalTo(String.valueOf(http)));
        assertThat("QUARKUS_MANAGEMENT_PORT is the management port", Manifests.env(container,
                "QUARKUS_MANAGEMENT_PORT"), equalTo(String.valueOf(management)));
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode get = container.at("/" + probe + "/httpGet");
            assertThat(probe + " is an HTTP probe", get.isMissingNode(), equalTo(false));
            assertThat(probe + " asks the management port", Manifests.port(container, get.path("port")),
                    equalTo(management));
            String path = get.path("path").asText();
            Management.given().get(path).then().statusCode(200).body(containsString("\"status\": \"UP\""));
            given().get(path).then().statusCode(404);
        }
        assertThat(container.at("/startupProbe/httpGet/path").asText(), equalTo("/q/health/started"));
        assertThat(container.at("/livenessProbe/httpGet/path").asText(), equalTo("/q/health/live"));
        assertThat(container.at("/readinessProbe/httpGet/path").asText(), equalTo("/q/health/ready"));
    }

    @Test
    void everyConfigurationKeyIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("docs", "configuration.md"));
        List<String> missing = mappingKeys().stream().filter(key -> !doc.contains("`" + key + "`")).toList();
        assertThat("keys missing from docs/configuration.md", missing, empty());
    }

    @Test
    void theLargestFleetFitsThePostgresConnectionLimitAsTheRunbookShows() throws Exception {
        int replicas = YAML.readTree(DEPLOY.resolve("kubernetes/hpa.yaml").toFile()).at("/spec/maxReplicas").asInt();
        int surge = YAML.readTree(DEPLOY.resolve("kubernetes/deployment.yaml").toFile())
                .at("/spec/strategy/rollingUpdate/maxSurge").asInt();
        int pool = YAML.readTree(DEPLOY.resolve("kubernetes/configmap.yaml").toFile())
                .at("/data/QUARKUS_DATASOURCE_JDBC_MAX_SIZE").asInt();
        // a rolling update starts the next new pod while an old one still shuts down, its connections open
        int total = (replicas + surge + 1) * pool;
        assertThat("replicas, surge and pool are set", replicas * surge * pool > 0, equalTo(true));
        assertThat("(maxReplicas + maxSurge + 1 shutting down) × pool ≤ max_connections − reserved",
                total <= POSTGRES_CONNECTIONS, equalTo(true));
        String worked = "(" + replicas + " + " + surge + " + 1) × " + pool + " = " + total;
        assertThat("operations.md works the example with the manifests' numbers",
                Files.readString(Path.of("docs", "operations.md")), containsString(worked));
    }

    /**
     * Receivers are told the most requests they can get at once from the shipped deployment (every instance of the
     * largest fleet, plus the rolling update's surge, at the per-endpoint cap) and how the breaker backs off.
     */
    @Test
    void verifyingWebhooksStatesTheConcurrencyAndTheBreakerOfTheShippedDeployment() throws Exception {
        // SPEC §3: an endpoint's cap and breaker hold across all instances (one instance sends to it at a time), so
        // the replicas and the surge no longer multiply what a receiver gets
        int perEndpoint = YAML.readTree(DEPLOY.resolve("kubernetes/configmap.yaml").toFile())
                .at("/data/WEBHOOKS_DELIVERY_MAX_IN_FLIGHT_PER_ENDPOINT").asInt();
        assertThat("the shipped cap is the service's default", perEndpoint, equalTo(Integer.parseInt(
                DeliveryConfig.class.getMethod("maxInFlightPerEndpoint").getAnnotation(WithDefault.class).value())));
        String doc = Files.readString(Path.of("docs", "verifying-webhooks.md")).replaceAll("\\s+", " ");
        assertThat(doc, containsString(perEndpoint + " requests at once to one webhook by default (the operator's "
                + "setting), however many instances the service runs"));
        assertThat(doc, containsString("deliveries to it pause for " + defaultOf("delay") + " "));
        assertThat(doc, containsString("Each failed trial doubles the pause, up to " + defaultOf("maxDelay")));
    }

    /** A breaker setting's default as the docs write it: {@code 30s} is "30 s", {@code 5m} "5 minutes". */
    private static String defaultOf(String setting) throws NoSuchMethodException {
        String value = DeliveryConfig.Breaker.class.getMethod(setting).getAnnotation(WithDefault.class).value();
        String amount = value.substring(0, value.length() - 1);
        return switch (value.charAt(value.length() - 1)) {
            case 's' -> amount + " s";
            case 'm' -> amount + (amount.equals("1") ? " minute" : " minutes");
            default -> throw new IllegalStateException("write a rule for " + value);
        };
    }

    @Test
    void composeAdvertisesAnAddressToContainersAndToTheHost() throws Exception {
        JsonNode compose = YAML.readTree(DEPLOY.resolve("compose.yaml").toFile());
        JsonNode kafka = compose.at("/services/kafka/environment");
        Map<String, String> listeners = listeners(kafka.path("KAFKA_LISTENERS").asText());
        Map<String, String> advertised = listeners(kafka.path("KAFKA_ADVERTISED_LISTENERS").asText());
        Map<String, String> protocols = listeners(kafka.path("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").asText()
                .replace(":", "://"));
        assertThat("every listener has a protocol", protocols.keySet().containsAll(listeners.keySet()), equalTo(true));
        assertThat("every advertised listener listens", listeners.keySet().containsAll(advertised.keySet()),
                equalTo(true));
        String bootstrap = compose.at("/services/webhooks/environment/KAFKA_BOOTSTRAP_SERVERS").asText();
        assertThat("the service connects to an address advertised inside the network",
                advertised.containsValue(bootstrap) && bootstrap.startsWith("kafka:"), equalTo(true));
        int published = 0;
        for (JsonNode port : compose.at("/services/kafka/ports")) {
            String[] parts = port.asText().split(":");
            String listener = listeners.entrySet().stream().filter(e -> e.getValue().endsWith(":" + parts[1]))
                    .map(Map.Entry::getKey).findFirst().orElse("none");
            assertThat("host port " + parts[0] + " reaches a listener that advertises it to the host",
                    advertised.get(listener), equalTo("localhost:" + parts[0]));
            published++;
        }
        assertThat("Kafka is published to the host", published, equalTo(1));
    }

    /** {@code NAME://host:port,…} as name → host:port. */
    private static Map<String, String> listeners(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : value.split(",")) {
            String[] parts = item.trim().split("://", 2);
            out.put(parts[0], parts[1]);
        }
        return out;
    }

    @Test
    void theManifestsAreAllThere() {
        for (String file : List.of("kubernetes/deployment.yaml", "kubernetes/service.yaml",
                "kubernetes/management-service.yaml", "kubernetes/servicemonitor.yaml", "kubernetes/ingress.yaml",
                "kubernetes/networkpolicy.yaml", "kubernetes/configmap.yaml", "kubernetes/secret.template.yaml",
                "kubernetes/pdb.yaml", "kubernetes/hpa.yaml", "compose.yaml", "Dockerfile")) {
            assertThat(file, Files.exists(DEPLOY.resolve(file)), equalTo(true));
        }
    }

    /** Names set by the Deployment, ConfigMap, Secret template and compose file. */
    private static List<String> environmentVariables() throws IOException {
        List<String> names = new ArrayList<>();
        JsonNode container = YAML.readTree(DEPLOY.resolve("kubernetes/deployment.yaml").toFile())
                .at("/spec/template/spec/containers/0");
        container.path("env").forEach(e -> names.add(e.get("name").asText()));
        YAML.readTree(DEPLOY.resolve("kubernetes/configmap.yaml").toFile()).path("data").fieldNames()
                .forEachRemaining(names::add);
        YAML.readTree(DEPLOY.resolve("kubernetes/secret.template.yaml").toFile()).path("stringData").fieldNames()
                .forEachRemaining(names::add);
        YAML.readTree(DEPLOY.resolve("compose.yaml").toFile()).at("/services/webhooks/environment").fieldNames()
                .forEachRemaining(names::add);
        return names;
    }

    /** Every key of every {@code @ConfigMapping} of the service, read from the compiled classes. */
    static Set<String> mappingKeys() throws Exception {
        Set<String> keys = new TreeSet<>();
        Path classes = Path.of("target", "classes");
        try (Stream<Path> files = Files.walk(classes.resolve("dev/git/webhooks"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, DeployManifestsTest.class.getClassLoader());
                ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
                if (mapping != null) {
                    collect(mapping.prefix(), type, keys);
                }
            }
        }
        return keys;
    }

    private static void collect(String prefix, Class<?> type, Set<String> keys) {
        for (Method method : type.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String key = method.isAnnotationPresent(WithParentName.class) ? prefix
                    : prefix + "." + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            Class<?> result = method.getReturnType();
            if (result.isInterface() && result.getName().startsWith("dev.git.webhooks")) {
                collect(key, result, keys);
            } else {
                keys.add(key);
            }
        }
    }

    private static String env(String key) {
        return key.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }

}
