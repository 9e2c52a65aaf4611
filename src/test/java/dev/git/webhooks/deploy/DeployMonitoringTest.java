package dev.git.webhooks.deploy;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.matchesPattern;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.tomakehurst.wiremock.client.WireMock;

import dev.git.webhooks.catalog.DataSchema;
import dev.git.webhooks.delivery.DeliveryGauges;
import dev.git.webhooks.delivery.DeliveryMetrics;
import dev.git.webhooks.delivery.EndpointStats;
import dev.git.webhooks.ingest.consumer.IngestLoop;
import dev.git.webhooks.outbox.OutboxGauges;
import dev.git.webhooks.subscription.EventTypes;
import dev.git.webhooks.subscription.auth.ClientCertificateExpiry;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Management;
import dev.git.webhooks.testing.Receivers;
import dev.git.webhooks.testing.TestCertificates;
import io.quarkus.test.junit.QuarkusTest;

/**
 * deploy/monitoring stays true to the service: the alert rules and the dashboard parse, every metric they query is
 * one the running service exports (after it has delivered, retried, dead-lettered and seen schema drift), and every
 * alert links to a runbook section of docs/operations.md that exists.
 */
@QuarkusTest
class DeployMonitoringTest {

    private static final Path ALERTS = Path.of("deploy", "monitoring", "alerts.yaml");
    private static final Path DASHBOARD = Path.of("deploy", "monitoring", "grafana-dashboard.json");
    private static final Path RUNBOOK = Path.of("docs", "operations.md");
    private static final Path ALERT_TESTS = Path.of("deploy", "monitoring", "alerts.test.yaml");
    /** Series that Prometheus records about its scrapes, not the service: {@code up} is 1 for a target it scraped. */
    private static final Set<String> SCRAPE_SERIES = Set.of("up");

    @Inject
    EndpointStats stats;

    @Inject
    OutboxGauges gauges;

    @Inject
    ClientCertificateExpiry certificates;

    @Inject
    dev.git.webhooks.delivery.EndpointHeldBack heldBack;

    @Test
    void everyMetricTheAlertsAndTheDashboardQueryIsExported() throws Exception {
        Set<String> exported = exportedAfterExercise();
        List<String> queries = new ArrayList<>(alertExpressions());
        queries.addAll(dashboardExpressions());
        Set<String> used = new TreeSet<>();
        queries.forEach(q -> used.addAll(PromQl.metricNames(q)));

        assertThat("the files query the service", used.size() > 8, equalTo(true));
        assertThat("metrics the service does not export: " + used, new TreeSet<>(used.stream()
                .filter(name -> !exported.contains(name) && !SCRAPE_SERIES.contains(name)).toList()), empty());
    }

    /**
     * Every counter an alert reads with {@code increase()} or {@code rate()} has its series from start-up, for every
     * value of its labels, before anything happened to count: an alert on a series created by its first increment
     * misses that increment (alerts.test.yaml shows both cases). The counts themselves start at 0 in the unit tests
     * of each counter (IngestLoopTest, SchemaDriftTest, DeliveryMetricsTest); here other tests may have counted.
     */
    @Test
    void everyCounterAnAlertIncreasesHasASeriesForEveryLabelValueWithoutAnEvent() throws Exception {
        Set<String> counters = new TreeSet<>();
        Matcher increased = Pattern.compile("\\b(?:increase|rate)\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)")
                .matcher(String.join("\n", alertExpressions()));
        while (increased.find()) {
            counters.add(increased.group(1));
        }
        assertThat(counters, hasItems("webhooks_events_dead_lettered_total", "webhooks_events_schema_violations_total",
                "webhooks_deliveries_total", "webhooks_endpoints_auto_disabled_total",
                "webhooks_recording_failures_total"));
        Set<String> series = new TreeSet<>();
        Management.metrics().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> series.add(l.replaceFirst("^([^ {]+(\\{[^}]*})?).*", "$1")));
        Set<String> names = new TreeSet<>();
        series.forEach(s -> names.add(s.split("\\{", 2)[0]));
        assertThat("alert counters without a series", counters.stream().filter(c -> !names.contains(c)).toList(),
                empty());

        List<String> expected = new ArrayList<>();
        IngestLoop.REASONS.forEach(r -> expected.add("webhooks_events_dead_lettered_total{reason=\"" + r + "\"}"));
        DeliveryMetrics.OUTCOMES.forEach(o -> expected.add("webhooks_deliveries_total{outcome=\"" + o + "\"}"));
        for (String type : EventTypes.ALL) {
            DataSchema.RULES.forEach(rule -> expected.add("webhooks_events_schema_violations_total{rule=\"" + rule
                    + "\",type=\"" + type + "\"}"));
        }
        assertThat("label values without a series", expected.stream().filter(e -> !series.contains(e)).toList(),
                empty());
    }

    @Test
    void alertRulesParseAndEachLinksToItsRunbookSection() throws Exception {
        JsonNode groups = new ObjectMapper(new YAMLFactory()).readTree(ALERTS.toFile()).path("groups");
        Set<String> anchors = anchors(Files.readString(RUNBOOK));
        List<String> names = new ArrayList<>();
        Set<String> metrics = new TreeSet<>();
        for (JsonNode rule : rules(groups)) {
            String alert = rule.path("alert").asText();
            names.add(alert);
            String expr = rule.path("expr").asText();
            assertThat(alert + " expression is balanced", PromQl.balanced(expr), equalTo(true));
            metrics.addAll(PromQl.metricNames(expr));
            if (rule.has("for")) {
                assertThat(alert, rule.get("for").asText(), matchesPattern("\\d+[smhd]"));
            }
            assertThat(alert, rule.at("/labels/severity").asText(), in(Set.of("info", "warning", "critical")));
            assertThat(alert + " has a summary", rule.at("/annotations/summary").asText().isBlank(), equalTo(false));
            String runbook = rule.at("/annotations/runbook_url").asText();
            assertThat(alert, runbook, matchesPattern("docs/operations\\.md#[a-z0-9-]+"));
            assertThat(alert + " links to a section that exists", runbook.substring(runbook.indexOf('#') + 1),
                    in(anchors));
        }
        assertThat("alert names are unique", new TreeSet<>(names).size(), equalTo(names.size()));
        // outbox falling behind, dead letters, failure ratio, ingest lag (in time, and in records: the latter also
        // while the consumer stores nothing), auto-disabled endpoints, the recording backlog
        assertThat("the alerts watch every part of the pipeline", metrics, hasItems(
                "webhooks_outbox_oldest_due_seconds", "webhooks_events_dead_lettered_total",
                "webhooks_deliveries_total", "webhooks_ingest_lag_seconds", "webhooks_ingest_records_lag_max",
                "webhooks_endpoints_auto_disabled_total", "webhooks_recording_backlog"));
    }

    /**
     * Every other rule reads the service's own metrics, which vanish with the service: one critical alert reads the
     * scrapes themselves and fires when no instance of the job is up, or the job has none, and its test file shows it
     * quiet while one instance is up and firing in both cases.
     */
    @Test
    void oneAlertFiresWhenNoInstanceIsScraped() throws Exception {
        List<JsonNode> down = new ArrayList<>();
        for (JsonNode rule : rules(new ObjectMapper(new YAMLFactory()).readTree(ALERTS.toFile()).path("groups"))) {
            if (PromQl.metricNames(rule.path("expr").asText()).equals(SCRAPE_SERIES)) {
                down.add(rule);
            }
        }
        assertThat("one rule reads up", down.size(), equalTo(1));
        JsonNode rule = down.get(0);
        String expr = rule.path("expr").asText().replaceAll("\\s+", "");
        assertThat("absent, so that a job without any target fires too", expr,
                matchesPattern("absent\\(up\\{job=\"[a-z0-9-]+\"}==1\\)"));
        assertThat(rule.at("/labels/severity").asText(), equalTo("critical"));
        String alert = rule.path("alert").asText();
        int quiet = 0;
        int firing = 0;
        for (JsonNode test : new ObjectMapper(new YAMLFactory()).readTree(ALERT_TESTS.toFile()).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                if (alert.equals(check.path("alertname").asText())) {
                    if (check.path("exp_alerts").isEmpty()) {
                        quiet++;
                    } else {
                        firing++;
                    }
                }
            }
        }
        assertThat(alert + " is shown firing in both cases (targets down, no target)", firing >= 2, equalTo(true));
        assertThat(alert + " is shown quiet before", quiet >= 2, equalTo(true));
    }

    @Test
    void dashboardParsesAndEveryPanelQueriesPrometheus() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText(), equalTo("git-dev-webhooks"));
        assertThat(dashboard.at("/templating/list/0/type").asText(), equalTo("datasource"));
        for (JsonNode panel : dashboard.path("panels")) {
            if (!"row".equals(panel.path("type").asText())) {
                assertThat(panel.path("title").asText(), panel.path("targets").size() > 0, equalTo(true));
                assertThat(panel.path("title").asText(), panel.at("/datasource/uid").asText(),
                        equalTo("${datasource}"));
            }
        }
        dashboardExpressions().forEach(e -> assertThat(e, PromQl.balanced(e), equalTo(true)));
    }

    /**
     * The dashboard leads to the runbook: links at its top, and on each panel a link to the section of every alert its
     * description names, so that every alert's section is one click from the dashboard. All of them start with the
     * {@code runbook} variable (where the team reads docs/operations.md) and point at sections that exist.
     */
    @Test
    void dashboardLinksToTheRunbookSectionOfEachAlertItShows() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> anchors = anchors(Files.readString(RUNBOOK));
        Map<String, String> sectionOfAlert = new TreeMap<>();
        for (JsonNode rule : rules(new ObjectMapper(new YAMLFactory()).readTree(ALERTS.toFile()).path("groups"))) {
            String url = rule.at("/annotations/runbook_url").asText();
            sectionOfAlert.put(rule.path("alert").asText(), url.substring(url.indexOf('#') + 1));
        }
        List<String> variables = new ArrayList<>();
        dashboard.at("/templating/list").forEach(v -> variables.add(v.path("name").asText()));
        assertThat(variables, hasItems("runbook"));

        assertThat("the dashboard has runbook links", dashboard.path("links").size() > 0, equalTo(true));
        for (JsonNode link : dashboard.path("links")) {
            assertThat(link.path("type").asText(), equalTo("link"));
            runbookSection(link.path("url").asText(), anchors);
        }
        Set<String> reachable = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asText())) {
                continue;
            }
            String title = panel.path("title").asText();
            Set<String> linked = new TreeSet<>();
            panel.path("links").forEach(l -> linked.add(runbookSection(l.path("url").asText(), anchors)));
            assertThat(title + " links to the runbook", linked.isEmpty(), equalTo(false));
            sectionOfAlert.forEach((alert, section) -> {
                if (panel.path("description").asText().matches("(?s).*\\b" + alert + "\\b.*")) {
                    assertThat(title + " names " + alert, section, in(linked));
                }
            });
            reachable.addAll(linked);
        }
        assertThat("every alert's section is linked from a panel", reachable,
                hasItems(sectionOfAlert.values().toArray(String[]::new)));
    }

    /** The section a dashboard link opens: {@code ${runbook}} (the top) or {@code ${runbook}#section}. */
    private static String runbookSection(String url, Set<String> anchors) {
        assertThat(url, matchesPattern("\\$\\{runbook\\}(#[a-z0-9-]+)?"));
        String section = url.contains("#") ? url.substring(url.indexOf('#') + 1) : "";
        if (!section.isEmpty()) {
            assertThat(url + " points at a section that exists", section, in(anchors));
        }
        return section;
    }

    /**
     * Prometheus itself evaluates the rules against alerts.test.yaml. promtool is part of the suite's toolchain (the
     * README, {@code .ci/run}): without it this test fails, naming the package, rather than passing unseen.
     */
    @Test
    void alertsFireOnTheHistoriesOfTheirTestFile() throws Exception {
        Path promtool = Stream.of(System.getenv("PATH").split(File.pathSeparator)).map(d -> Path.of(d, "promtool"))
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("promtool is not on the PATH: the alert rules cannot be "
                        + "evaluated. Install it (Debian/Ubuntu: sudo apt-get install -y --no-install-recommends "
                        + "prometheus; .ci/run does) and run the tests again"));
        // its output to a file, so that the bound holds: a read of its pipe would wait as long as promtool runs
        Path log = Files.createTempFile("promtool-", ".log");
        Process check = new ProcessBuilder(promtool.toString(), "test", "rules", "alerts.test.yaml")
                .directory(ALERTS.getParent().toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = check.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            check.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat("promtool test rules ended within 30 s: " + output, ended);
        assertThat(output, check.exitValue(), equalTo(0));
    }

    /** Exercises the service so that every metric has a series, then reads the names in /q/metrics. */
    private Set<String> exportedAfterExercise() {
        Api.Owner owner = Api.newOwner();
        Api.hook(owner, WireMock.aResponse().withStatus(204));
        Api.hook(owner, WireMock.aResponse().withStatus(503));
        // data that breaks the repo.push schema: stored, delivered, and counted as drift
        Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null));
        Kafka.publish("repo.push", owner.name(), "{broken");
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            String text = Management.metrics();
            return text.contains("webhooks_deliveries_total{outcome=\"delivered\"}")
                    && text.contains("webhooks_deliveries_total{outcome=\"retrying\"}")
                    && text.contains("webhooks_events_dead_lettered_total{")
                    && text.contains("webhooks_events_schema_violations_total{");
        });
        // the success ratio is read from the recorded attempts, which the writer stores a moment after the counters
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            DeliveryGauges.refreshNow(stats, gauges);
            return Management.metrics().contains("webhooks_endpoint_success_ratio{");
        });
        // an endpoint with a client certificate, so that its expiry has a series
        TestCertificates.ClientPem pem = TestCertificates.client("monitored", true,
                java.time.Instant.now().plus(Duration.ofDays(30)));
        Api.createWebhook(owner, Map.of("url", Receivers.url(Receivers.newPath()), "events", List.of("*"),
                "tls_client_certificate", Map.of("certificate", pem.certificate(), "private_key", pem.privateKey())));
        certificates.refresh();
        // an endpoint whose rate holds deliveries back: 5 events at 1 a second
        String limited = Receivers.newPath();
        Receivers.server().stubFor(WireMock.post(WireMock.urlEqualTo(limited)).willReturn(WireMock.aResponse()
                .withStatus(204)));
        Api.createWebhook(owner, Map.of("url", Receivers.url(limited), "events", List.of("*"), "rate_limit", 1));
        for (int i = 0; i < 5; i++) {
            Kafka.publish("deploy.success", owner.name(), Kafka.event("deploy.success", Kafka.newEventId(),
                    owner.name(), null));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            DeliveryGauges.refreshNow(heldBack);
            return Management.metrics().contains("webhooks_endpoint_held_back{");
        });
        Set<String> names = new TreeSet<>();
        Management.metrics().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    private static List<JsonNode> rules(JsonNode groups) {
        List<JsonNode> rules = new ArrayList<>();
        groups.forEach(g -> g.path("rules").forEach(rules::add));
        assertThat("the rule file has alerts", rules.size() >= 6, equalTo(true));
        return rules;
    }

    private static List<String> alertExpressions() throws Exception {
        return rules(new ObjectMapper(new YAMLFactory()).readTree(ALERTS.toFile()).path("groups")).stream()
                .map(r -> r.path("expr").asText()).toList();
    }

    private static List<String> dashboardExpressions() throws Exception {
        List<String> exprs = new ArrayList<>();
        new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")
                .forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        return exprs;
    }

    /** GitHub's heading anchors (outside code blocks): lower case, punctuation dropped, spaces to hyphens. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new TreeSet<>();
        boolean code = false;
        for (String line : markdown.lines().toList()) {
            code ^= line.startsWith("```");
            if (!code && line.matches("#{1,6} .*")) {
                anchors.add(line.replaceFirst("#+ ", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "")
                        .replace(' ', '-'));
            }
        }
        return anchors;
    }
}
