package dev.git.webhooks.ops.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Browser;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The console in real headless Chromium, the operator's and the customer's main tasks end to end: an operator finds
 * a failing endpoint from the overview, reads why in words, finds its failed delivery and its attempts, replays it
 * after a dry run and watches the progress reach 100 % on the replay's own page, follows the replayed delivery to
 * its copy, redrives a dead letter after a confirmation and sees it delivered and audited; a customer creates an
 * endpoint, pings it, reads its health and chart, edits it, rotates its secret, disables and enables it; a bulk
 * replay over more endpoints than a page shows is one run; empty pages say why. Every page fails the test on any
 * console error or Content Security Policy violation, on a secret or the key in its source, on markup that data
 * brought in, on an inline style, a timed full-page refresh, a missing favicon or aria-current, text under 4.5:1,
 * an unnamed progress bar or repeated action, a last column off screen at 1280 px; at 390 px rows are cards with
 * their status first and their status and actions on screen.
 */
@QuarkusTest
class ConsoleBrowserTest {

    /** Markup that a producer, a receiver or a refused record could carry: every page shows it as text. */
    private static final String MARKUP = "</pre><script>window.__xss=1</script>"
            + "<img src=x onerror=\"window.__xss=2\">'";
    private static final String SHOWN_MARKUP = "<script>window.__xss=1</script>";

    private static Browser browser;

    @TestHTTPResource("/")
    URL base;

    /** A signing secret's shape: a page may name the format, never show one. */
    private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile(
            "whsec_[A-Za-z0-9+/]{30,}");

    private WebDriver driver;
    private String signedInKey;
    private boolean phone;
    private final List<String> typedSecrets = new ArrayList<>();

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void signedOut() {
        driver = browser.driver();
        browser.size(Browser.DESKTOP);
        phone = false;
        driver.get("about:blank"); // off an earlier test's page, without a request to the console
        browser.clearCookies();
        browser.problems(); // what an earlier test left in the console's log
        signedInKey = null;
    }

    @Test
    void anOperatorFindsAFailingEndpointReplaysItsFailedDeliveryAndRedrivesADeadLetter() throws Exception {
        Api.Owner acme = Api.newOwner();
        Api.Hook hook = Api.hook(acme, aResponse().withStatus(500).withHeader("X-Answer", MARKUP).withBody(MARKUP));
        String event = Kafka.newEventId();
        Kafka.publish("deploy.failed", acme.name(), eventWithMarkup("deploy.failed", event, acme.name()));
        String operator = Api.newOperatorKey(List.of("ops:read", "ops:replay"));
        signIn(operator); // while the delivery makes its attempts
        assertThat(text("who"), containsString("Operator"));
        soon(Duration.ofSeconds(20)).until(() -> Api.as(operator).queryParam("owner", acme.name())
                .queryParam("status", "failed").get("/v2/ops/deliveries").<List<?>>path("data").size() == 1);
        Receivers.server().stubFor(post(urlEqualTo(hook.path())).willReturn(aResponse().withStatus(200)));

        open("/console"); // the overview once the endpoint fails
        browser.screenshot("overview");
        open("/console/endpoints?owner=" + acme.name() + "&state=failing");
        assertThat("the failing endpoint is badged failing, not enabled", row("endpoints", hook.id()),
                containsString("Failing"));
        clickThen(By.cssSelector("tr[data-webhook='" + hook.id() + "'] a[aria-label^='Open']"), By.id("verdict"));
        assertThat(text("verdict"), containsString("Failing"));
        assertThat("why, in words", text("verdict-detail"), containsString("answered HTTP 500"));
        assertThat(text("endpoint-ratio"), startsWith("0 % (0 of "));
        assertThat(driver.findElements(By.cssSelector("#chart rect.bad")), not(hasSize(0)));
        assertThat(driver.findElements(By.cssSelector("#attempts tbody tr")), hasSize(4));
        assertThat("an operator does not edit a customer's endpoint", driver.findElements(By.id("edit")), hasSize(0));
        browser.screenshot("endpoint-failing");
        open("/console/endpoints?owner=" + acme.name());
        browser.screenshot("endpoints");

        open("/console/deliveries");
        driver.findElement(By.id("f-owner")).sendKeys(acme.name());
        choose("f-status", "failed");
        choose("f-range", "1h");
        clickThen(By.id("f-apply"), By.id("deliveries"));
        List<?> rows = driver.findElements(By.cssSelector("#deliveries tbody tr"));
        assertThat(rows, hasSize(1));
        assertThat("the response code, not only the error", text("deliveries"), containsString("HTTP 500"));
        browser.screenshot("deliveries");
        clickThen(By.cssSelector("#deliveries tbody tr a.mono"), By.id("attempt-4"));
        String original = driver.findElement(By.cssSelector("h1 .mono")).getText();
        assertThat(driver.findElements(By.cssSelector("section.attempt")), hasSize(4));
        assertThat(text("attempt-4"), containsString("HTTP 500"));
        assertThat("the receiver's answer is shown as text", text("attempt-4"), containsString(SHOWN_MARKUP));
        assertThat("the payload is shown as text", text("request-body"), containsString(SHOWN_MARKUP));
        String signatures = driver.findElements(By.cssSelector("#attempt-1 tr.sig")).stream()
                .map(e -> e.getText()).reduce("", String::concat);
        assertThat(signatures, containsString("sha256="));
        assertThat(signatures, containsString("v1,"));
        browser.screenshot("delivery");

        open("/console/replays");
        driver.findElement(By.id("r-owner")).sendKeys(acme.name());
        driver.findElement(By.id("r-webhook")).sendKeys(hook.id());
        clickThen(By.id("dry-run"), By.id("dry-run-total"));
        assertThat(text("dry-run-total"), startsWith("1 deliveries would be sent"));
        browser.screenshot("replay-dry-run");
        assertThat("the dry run sent nothing", Receivers.received(hook.path()), hasSize(4));
        clickThen(By.id("start-replay"), By.id("replay-facts"));
        browser.waiting(Duration.ofSeconds(30)).until(d -> progress().contains("done"));
        checked();
        assertThat(progress(), startsWith("100 % 1 of 1 processed"));
        String batch = driver.getCurrentUrl().replaceAll(".*/console/replays/(rpb_[^?]+).*", "$1");
        soon(Duration.ofSeconds(10)).until(() -> Receivers.received(hook.path()).size() == 5);
        browser.waiting(Duration.ofSeconds(10)).until(d -> {
            open("/console/replays/" + batch);
            return progress().contains("1 delivered, 0 failed");
        });
        browser.screenshot("replay-progress");

        open("/console/deliveries");
        driver.findElement(By.id("f-owner")).sendKeys(acme.name());
        choose("f-status", "replayed");
        clickThen(By.id("f-apply"), By.id("deliveries"));
        assertThat(driver.findElements(By.cssSelector("#deliveries tbody tr")), hasSize(1));
        assertThat(text("deliveries"), containsString(original));
        assertThat("the copy is named in the list", text("deliveries"), containsString("replayed as"));
        clickThen(By.cssSelector("#deliveries tbody tr a.mono"), By.id("replayed-by"));
        assertThat(text("status"), equalTo("replayed"));
        assertThat("a replayed delivery offers its copy, not a redelivery", driver.findElements(By.id("redeliver")),
                hasSize(0));
        String copy = text("replayed-by");
        clickThen(By.id("replayed-by"), By.id("copy-of"));
        assertThat(driver.findElement(By.cssSelector("h1 .mono")).getText(), equalTo(copy));
        assertThat(text("copy-of"), equalTo(original));
        assertThat(text("delivery-facts"), containsString("replay copy"));

        String redriven = Kafka.newEventId();
        Kafka.publishDeadLetter("deploy.success", "unstorable", eventWithMarkup("deploy.success", redriven,
                acme.name()));
        String letter = soon(Duration.ofSeconds(15)).until(() -> letterFor(operator, redriven),
                id -> id != null);
        open("/console/dead-letters?state=new");
        browser.screenshot("dead-letters");
        clickThen(By.cssSelector("tr[data-letter='" + letter + "'] a"), By.id("letter-preview"));
        assertThat(text("letter-preview"), containsString(redriven));
        assertThat("the dead letter is shown as text", text("letter-preview"), containsString(SHOWN_MARKUP));
        assertThat("redrive leads for a record the database refused", driver.findElement(By.id("redrive"))
                .getAttribute("class"), equalTo("button"));
        browser.screenshot("dead-letter");
        clickThen(By.id("redrive"), By.id("confirm-count"));
        assertThat(text("confirm-count"), containsString("publishes these exact bytes to deploy.success once"));
        driver.findElement(By.id("confirm")).click();
        browser.waiting(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("letter-state"), "redriven"));
        checked();
        soon(Duration.ofSeconds(15)).until(() -> Receivers.received(hook.path()).stream()
                .anyMatch(r -> redriven.equals(r.getHeader("webhook-id"))));
        browser.waiting(Duration.ofSeconds(10)).until(d -> {
            d.get(url("/console/events/" + redriven));
            return d.getPageSource().contains("badge delivered");
        });
        checked();
        assertThat(text("payload"), containsString(SHOWN_MARKUP));
        browser.screenshot("event");

        open("/console/audit");
        choose("f-action", "dead_letter.redrive");
        clickThen(By.id("f-apply"), By.id("audit"));
        assertThat(text("audit"), containsString("dead_letter.redrive"));
        assertThat("the key's name", text("audit"), containsString("ops"));
        assertThat("what it did", text("audit"), containsString("Published back to deploy.success"));
        assertThat(text("audit"), not(containsString("replay.bulk")));
        open("/console/audit?action=replay.bulk");
        assertThat(text("audit"), containsString("Replaying 1 delivery over 1 endpoint as " + batch));
        assertThat(text("audit"), containsString("202"));
        browser.screenshot("audit");

        open("/console/deliveries?owner=" + acme.name() + "&event=" + encode(MARKUP), 400);
        assertThat("the problem is on the form, which stays", text("event-error"), containsString(SHOWN_MARKUP));
        assertThat(driver.findElement(By.id("f-owner")).getAttribute("value"), equalTo(acme.name()));
        open("/console/audit?target=" + encode(MARKUP));
        assertThat(driver.findElement(By.name("target")).getAttribute("value"), equalTo(MARKUP));

        List<String> pages = List.of("/console", "/console/endpoints?owner=" + acme.name(),
                "/console/endpoints/" + hook.id(), "/console/deliveries?owner=" + acme.name(),
                "/console/deliveries/" + original, "/console/deliveries/" + copy, "/console/events/" + event,
                "/console/events/" + redriven, "/console/replays", "/console/replays/" + batch,
                "/console/dead-letters", "/console/dead-letters/" + letter, "/console/audit", "/console/event-types",
                "/console/event-types/deploy.failed", "/console/login");
        onPhone();
        for (String page : pages) {
            open(page);
            if (page.equals("/console/deliveries/" + original)) {
                browser.screenshot("phone-delivery");
            }
        }
        open("/console");
        browser.screenshot("phone-overview");
    }

    @Test
    void aCustomerCreatesAnEndpointPingsItReadsItsHealthEditsRotatesDisablesAndEnablesIt() throws Exception {
        Api.Owner owner = Api.newOwner();
        String path = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(204)));
        String secret = ConsoleHttpTest.newSecret();
        typedSecrets.add(secret);

        signIn(owner.key());
        open("/console/event-types"); // what the events to choose mean
        assertThat(driver.findElements(By.cssSelector("#event-types tbody tr")), not(hasSize(0)));
        clickThen(By.cssSelector("tr[data-type='repo.push'] a"), By.id("example"));
        assertThat(text("example"), containsString("\"event\" : \"repo.push\""));
        browser.screenshot("event-type");
        open("/console/endpoints");
        clickThen(By.id("new-endpoint"), By.id("endpoint-form"));
        driver.findElement(By.id("url")).sendKeys(Receivers.url(path));
        driver.findElement(By.id("description")).sendKeys("Orders service");
        driver.findElement(By.cssSelector("input[name=events][value='*']")).click(); // off: the form starts with *
        driver.findElement(By.cssSelector("input[name=events][value='repo.push']")).click();
        driver.findElement(By.cssSelector("input[name=events][value='delivery.exhausted']")).click();
        clickThen(By.id("save"), By.id("problem"));
        assertThat("a missing secret is named on the form, which keeps the rest", text("secret-error"),
                containsString("is required"));
        assertThat(driver.findElement(By.id("description")).getAttribute("value"), equalTo("Orders service"));
        driver.findElement(By.id("secret")).sendKeys(secret);
        clickThen(By.id("save"), By.id("verdict"));
        assertThat(text("notice"), containsString("created"));
        assertThat(text("endpoint-title"), equalTo("Orders service"));
        assertThat(text("endpoint-events"), equalTo("repo.push, delivery.exhausted"));
        assertThat(text("verdict"), containsString("No deliveries yet"));
        browser.screenshot("customer-endpoint-new");

        clickThen(By.id("ping"), By.id("delivery-facts"));
        assertThat(text("notice"), containsString("Ping sent"));
        String ping = driver.findElement(By.cssSelector("h1 .mono")).getText();
        browser.waiting(Duration.ofSeconds(10)).until(d -> {
            open("/console/deliveries/" + ping);
            return "delivered".equals(text("status"));
        });
        assertThat("a 204 is an answer too", text("delivery-facts"), containsString("HTTP 204"));
        clickThen(By.id("endpoint-link"), By.id("verdict"));
        assertThat(text("verdict"), containsString("Healthy"));
        assertThat(text("endpoint-ratio"), equalTo("100 % (1 of 1)"));
        assertThat(driver.findElements(By.cssSelector("#attempts tbody tr")), hasSize(1));
        assertThat(driver.findElements(By.cssSelector("#chart rect.ok")), hasSize(1));
        browser.screenshot("customer-endpoint-healthy");

        clickThen(By.id("edit"), By.id("endpoint-form"));
        driver.findElement(By.id("description")).clear();
        driver.findElement(By.id("description")).sendKeys("Orders v2");
        clickThen(By.id("save"), By.id("verdict"));
        assertThat(text("endpoint-title"), equalTo("Orders v2"));
        assertThat(text("notice"), containsString("saved"));

        clickThen(By.id("rotate"), By.id("rotate-form"));
        String rotated = ConsoleHttpTest.newSecret();
        typedSecrets.add(rotated);
        driver.findElement(By.id("secret")).sendKeys(rotated);
        choose("grace", "3600");
        clickThen(By.id("confirm-rotate"), By.id("verdict"));
        assertThat(text("notice"), containsString("The new secret signs from now on"));

        clickThen(By.id("disable"), By.id("confirm-count"));
        assertThat(text("confirm-count"), equalTo("It has no pending delivery."));
        clickThen(By.id("confirm"), By.id("verdict"));
        assertThat(text("verdict"), containsString("Disabled"));
        assertThat(text("verdict-detail"), containsString("Its owner disabled it."));
        assertThat("no ping while it takes no deliveries", driver.findElements(By.id("ping")), hasSize(0));
        clickThen(By.id("enable"), By.id("confirm-count"));
        assertThat(text("confirm-count"), containsString("there is nothing to replay"));
        clickThen(By.id("confirm"), By.id("verdict"));
        assertThat(text("verdict"), containsString("Healthy"));
        owner.request().get("/v2/webhooks").then().body(Json.at("data[0].description", equalTo("Orders v2")))
                .body(Json.at("data[0].status", equalTo("enabled")));

        onPhone();
        open("/console/endpoints");
        assertThat(driver.findElement(By.cssSelector("#endpoints td.status")).isDisplayed(), equalTo(true));
        browser.screenshot("phone-endpoints");
        open("/console/endpoints/" + owner.request().get("/v2/webhooks").path("data[0].id"));
        browser.screenshot("phone-endpoint");
        open("/console/deliveries");
        browser.screenshot("phone-deliveries");
    }

    @Test
    void aCustomerSeesOnlyItsOwnData() throws Exception {
        Api.Owner mine = Api.newOwner();
        Api.Owner theirs = Api.newOwner();
        Api.Hook myHook = Api.hook(mine, aResponse().withStatus(200));
        Api.Hook theirHook = Api.hook(theirs, aResponse().withStatus(200));
        Kafka.publish("repo.push", mine.name(), Kafka.event("repo.push", Kafka.newEventId(), mine.name(), null));
        Kafka.publish("repo.push", theirs.name(), Kafka.event("repo.push", Kafka.newEventId(), theirs.name(), null));
        soon(Duration.ofSeconds(10)).until(() -> Receivers.received(myHook.path()).size() == 1
                && Receivers.received(theirHook.path()).size() == 1);
        String myDelivery = mine.request().get("/v2/webhooks/" + myHook.id() + "/deliveries").path("data[0].id");
        String theirDelivery = theirs.request().get("/v2/webhooks/" + theirHook.id() + "/deliveries")
                .path("data[0].id");

        signIn(mine.key());
        assertThat(text("who"), equalTo(mine.name()));
        open("/console/deliveries?owner=" + theirs.name());
        assertThat(driver.getPageSource(), containsString(myDelivery));
        assertThat(driver.getPageSource(), not(containsString(theirDelivery)));
        assertThat(driver.findElements(By.linkText("Dead letters")), hasSize(0));
        browser.screenshot("customer-deliveries");
        open("/console/deliveries/" + theirDelivery, 404);
        assertThat(text("error-heading"), equalTo("Not found"));
        browser.screenshot("customer-not-found");
        open("/console/endpoints/" + theirHook.id(), 404);
        assertThat(text("error-heading"), equalTo("Not found"));
        open("/console/deliveries?q=" + theirDelivery, 200);
        assertThat("a search for another owner's delivery finds nothing", text("problem"),
                containsString("There is no delivery " + theirDelivery + " of yours"));
        open("/console/dead-letters", 403);
        assertThat(text("error-heading"), equalTo("Not allowed"));
        open("/console/endpoints");
        assertThat(driver.getPageSource(), containsString(myHook.id()));
        assertThat(driver.getPageSource(), not(containsString(theirHook.id())));
    }

    @Test
    void aNewCustomerSeesWhyEachPageIsEmpty() throws Exception {
        Api.Owner fresh = Api.newOwner();
        signIn(fresh.key());
        assertThat(driver.findElements(By.id("no-trouble")), hasSize(1));
        open("/console/endpoints");
        assertThat(text("no-endpoints"), containsString("POST /v2/webhooks"));
        open("/console/deliveries");
        assertThat(driver.findElements(By.id("no-deliveries")), hasSize(1));
        open("/console/replays");
        assertThat(driver.findElements(By.id("no-replays")), hasSize(1));
        assertThat(driver.findElements(By.id("progress-panel")), hasSize(0));
        clickThen(By.id("dry-run"), By.id("dry-run-total"));
        assertThat(text("nothing-to-replay"), containsString("nothing to replay"));
        assertThat(driver.findElements(By.id("start-replay")), hasSize(0));
        browser.screenshot("customer-empty-replay");

        signIn(Api.newOperatorKey(List.of("ops:read")));
        open("/console/audit?target=owner:" + fresh.name());
        assertThat(driver.findElements(By.id("no-audit")), hasSize(1));
    }

    @Test
    void aBulkReplayOverManyEndpointsIsOneRunWhoseProgressCoversAllItsReplaysAndOlderPagesKeepTheirFilters()
            throws Exception {
        Api.Owner many = Api.newOwner();
        String path = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));
        String firstHook = Api.createWebhook(many, Map.of("url", Receivers.url(path), "events",
                List.of("repo.push")));
        List<String> hooks = new ArrayList<>(List.of(firstHook));
        hooks.addAll(inParallel(30, () -> Api.createWebhook(many, Map.of("url", Receivers.url(path), "events",
                List.of("pr.merged")))));
        Kafka.publish("repo.push", many.name(), Kafka.event("repo.push", Kafka.newEventId(), many.name(), null));
        inParallel(31, () -> many.request().body(Map.of("dry_run", true))
                .post("/v2/webhooks/" + firstHook + "/replay").then().statusCode(202));
        String operator = Api.newOperatorKey(List.of("ops:read", "ops:replay"));
        String odd = "dlv_" + Kafka.newEventId().substring(4) + "&b=1 c+d#e";
        inParallel(31, () -> Api.as(operator).urlEncodingEnabled(false).post("/v2/deliveries/"
                + encode(odd).replace("+", "%20") + "/redeliver").then().statusCode(404));
        soon(Duration.ofSeconds(20)).until(() -> Api.as(operator).queryParam("owner", many.name())
                .queryParam("status", "delivered").get("/v2/ops/deliveries").<List<?>>path("data").size() == 1);

        // One replay per endpoint, newest first: the only one with a delivery to copy (the first endpoint's) is
        // the 31st, on the second page of the run's endpoints; a sum over the first page would say 0 of 0, done.
        signIn(operator);
        open("/console/replays");
        driver.findElement(By.id("r-owner")).sendKeys(many.name());
        choose("r-status", "delivered");
        clickThen(By.id("dry-run"), By.id("dry-run-total"));
        assertThat(text("dry-run-total"), startsWith("1 deliveries would be sent again, over 31 endpoint(s)"));
        clickThen(By.id("start-replay"), By.id("replay-facts"));
        assertThat("the whole batch's deliveries", progress(), containsString(" of 1 processed"));
        browser.waiting(Duration.ofSeconds(30)).until(d -> progress().contains("done"));
        checked();
        assertThat(progress(), containsString("1 of 1 processed"));
        String batch = driver.getCurrentUrl().replaceAll(".*/console/replays/(rpb_[^?]+).*", "$1");
        assertThat(replayRows(), hasSize(30));
        assertThat(replayWebhooks(), not(hasItem(firstHook)));
        browser.screenshot("bulk-replay-progress");
        olderKeeps("/console/replays/" + batch + "?cursor=");
        assertThat(replayWebhooks(), equalTo(List.of(firstHook)));
        assertThat("the second page still follows the whole batch", progress(),
                containsString("1 of 1 processed"));
        soon(Duration.ofSeconds(10)).until(() -> Receivers.received(path).size() == 2);

        open("/console/replays?owner=" + many.name());
        assertThat("the bulk request is one run", replayRows(), hasSize(1));
        assertThat(text("replays"), containsString("31 endpoints"));
        assertThat(text("replays"), containsString(batch));
        assertThat("dry runs apart, the newest ten", driver.findElements(By.cssSelector("#dry-runs tbody tr")),
                hasSize(10));
        open("/console/replays?webhook=" + firstHook);
        assertThat("the live run that covered this endpoint", replayRows(), hasSize(1));
        assertThat(text("replays"), containsString(batch));

        open("/console/endpoints?owner=" + many.name());
        assertThat(driver.findElements(By.cssSelector("#endpoints tbody tr")), hasSize(30));
        olderKeeps("owner=" + many.name());
        List<String> older = driver.findElements(By.cssSelector("#endpoints tbody tr")).stream()
                .map(e -> e.getAttribute("data-webhook")).toList();
        assertThat(older, hasSize(1));
        assertThat(hooks, hasItem(older.get(0)));

        open("/console/audit?target=" + encode(odd));
        assertThat(driver.findElements(By.cssSelector("#audit tbody tr")), hasSize(30));
        olderKeeps("target=" + encode(odd));
        assertThat("the value with & + # and a space came through whole",
                driver.findElements(By.cssSelector("#audit tbody tr")), hasSize(1));
        assertThat(text("audit"), containsString(odd));
    }

    /** Follows the "Older" link, which must carry {@code query} (encoded), and checks the page it leads to. */
    private void olderKeeps(String query) {
        assertThat(driver.findElement(By.id("next")).getAttribute("href"), containsString(query));
        String before = driver.getCurrentUrl();
        driver.findElement(By.id("next")).click();
        browser.waiting(Duration.ofSeconds(10)).until(d -> !d.getCurrentUrl().equals(before));
        checked();
    }

    private List<WebElement> replayRows() {
        return driver.findElements(By.cssSelector("#replays tbody tr"));
    }

    /** The endpoint ids of the rows of a run's endpoints table. */
    private List<String> replayWebhooks() {
        return driver.findElements(By.cssSelector("#replays tbody tr td.title a.endpoint")).stream()
                .map(e -> e.getAttribute("href").replaceAll(".*/console/endpoints/", "")).toList();
    }

    @Test
    void aTamperedCookieAndAFormWithoutItsCsrfTokenAreRefused() throws Exception {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        Kafka.publish("pr.merged", owner.name(), Kafka.event("pr.merged", Kafka.newEventId(), owner.name(), null));
        soon(Duration.ofSeconds(10)).until(() -> Receivers.received(hook.path()).size() == 1);
        String delivery = owner.request().get("/v2/webhooks/" + hook.id() + "/deliveries").path("data[0].id");

        signIn(owner.key());
        org.openqa.selenium.Cookie session = driver.manage().getCookieNamed("wh_console");
        assertThat(session.isHttpOnly(), equalTo(true));
        assertThat(session.getSameSite(), equalTo("Strict"));
        String value = session.getValue();
        String tampered = value.substring(0, value.length() - 2) + (value.endsWith("A") ? "BB" : "AA");
        driver.manage().deleteCookieNamed("wh_console");
        driver.manage().addCookie(new org.openqa.selenium.Cookie.Builder("wh_console", tampered).path("/console")
                .isHttpOnly(true).sameSite("Strict").build());
        open("/console/deliveries", 401);
        assertThat(text("problem"), containsString("not accepted"));
        assertThat(driver.getPageSource(), not(containsString(delivery)));
        browser.screenshot("tampered-cookie");

        signIn(owner.key());
        open("/console/deliveries/" + delivery);
        ((JavascriptExecutor) driver).executeScript(
                "document.querySelectorAll('input[name=_csrf]').forEach(function (e) { e.remove(); });");
        clickThen(By.id("redeliver"), By.id("error-heading"));
        assertThat(text("error-heading"), equalTo("Form refused"));
        browser.screenshot("missing-csrf");
        assertThat("nothing was redelivered", owner.request().get("/v2/webhooks/" + hook.id() + "/deliveries")
                .<List<?>>path("data"), hasSize(1));
    }

    private void signIn(String key) {
        driver.get(url("/console/login"));
        driver.findElement(By.id("api_key")).sendKeys(key);
        driver.findElement(By.id("sign-in")).click();
        browser.waiting(Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("who")));
        signedInKey = key;
        checked();
    }

    private void open(String path) {
        driver.get(url(path));
        checked();
    }

    /** Opens a page that answers {@code status}: the browser may log that, and nothing else. */
    private void open(String path, int status) {
        driver.get(url(path));
        checked(status);
    }

    /**
     * Chooses the option {@code value} of the list {@code id} as a click on it does: what {@code Select} does in
     * seven round trips through chromedriver (tag, multiple, options, selected, enabled), in two.
     */
    private void choose(String id, String value) {
        driver.findElement(By.cssSelector("#" + id + " option[value='" + value + "']")).click();
    }

    /** Clicks, then waits for an element of the page that the click leads to. */
    private void clickThen(By target, By onNextPage) {
        driver.findElement(target).click();
        browser.waiting(Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(onNextPage));
        checked(0);
    }

    /** From now on the window is a phone's, 390 px wide: every page is checked as one. */
    private void onPhone() {
        browser.size(Browser.PHONE);
        phone = true;
    }

    private void checked() {
        checked(200);
    }

    /**
     * What every page must hold to: no signing secret (nor the secrets typed) and not the signed-in key in its
     * source; no script run (the console has none of its own, so any script element or its effect came in with
     * data); nothing in the browser's console but, for a page that answered {@code status} (0: any), that answer;
     * and the structure, contrast and layout of {@link PageChecks} at the window's width.
     */
    private void checked(int status) {
        PageChecks.Reading read = PageChecks.read(driver, phone);
        String page = read.url();
        String source = read.source();
        assertThat("no signing secret on " + page, SECRET.matcher(source).find(), equalTo(false));
        for (String secret : typedSecrets) {
            assertThat("a secret typed is not on " + page, source, not(containsString(secret.substring(6))));
        }
        if (signedInKey != null) {
            assertThat("the API key is not on " + page, source, not(containsString(signedInKey.substring(4))));
        }
        assertThat("no script on " + page, read.scripts(), equalTo(0L));
        assertThat("nothing ran on " + page, read.xss(), equalTo("undefined"));
        String own = page.replaceAll("[?#].*", "");
        List<String> logged = browser.problems().stream().filter(p -> !(p.contains(own)
                && p.contains("the server responded with a status of " + (status == 0 ? "4" : status)))).toList();
        assertThat("the browser's console on " + page, logged, equalTo(List.of()));
        assertThat("the page's structure on " + page, read.structure(), equalTo(List.of()));
        assertThat("the contrast on " + page, read.contrast(), equalTo(List.of()));
        assertThat("the layout on " + page + (phone ? " at 390 px" : " at 1280 px"), read.layout(),
                equalTo(List.of()));
    }

    /** The text of a replay's progress panel: in its frame while the replay runs, on the page once it is done. */
    private String progress() {
        List<WebElement> frames = driver.findElements(By.id("progress-frame"));
        if (frames.isEmpty()) {
            return text("progress-panel");
        }
        driver.switchTo().frame(frames.get(0));
        try {
            List<WebElement> panel = driver.findElements(By.id("progress-panel"));
            return panel.isEmpty() ? "" : panel.get(0).getText();
        } finally {
            driver.switchTo().defaultContent();
        }
    }

    /** The text of the row of {@code id} in a table. */
    private String row(String table, String id) {
        return driver.findElement(By.cssSelector("#" + table + " tr[data-webhook='" + id + "']")).getText();
    }

    private String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    /** Makes {@code n} API calls eight at a time: a page of rows and one more, without waiting for each. */
    private static <T> List<T> inParallel(int n, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> result : pool.invokeAll(Collections.nCopies(n, call))) {
                results.add(result.get());
            }
            return results;
        } finally {
            pool.shutdown();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** An event as a producer could write it, with markup in its data. */
    private static String eventWithMarkup(String type, String id, String owner) {
        return Kafka.event(type, id, owner, null).replace("\"data\":{\"n\":1}",
                "\"data\":{\"n\":1,\"note\":\"" + MARKUP.replace("\"", "\\\"") + "\"}");
    }

    private static String letterFor(String operator, String marker) {
        List<Map<String, Object>> letters = Api.as(operator).queryParam("limit", 100).get("/v2/ops/dead-letters")
                .path("data");
        return letters.stream().filter(l -> String.valueOf(((Map<?, ?>) l.get("preview")).get("text"))
                .contains(marker)).map(l -> (String) l.get("id")).findFirst().orElse(null);
    }

    /**
     * Waits at most {@code atMost}, trying at once and then every 50 ms. Awaitility's default waits its poll interval
     * of 100 ms before the first try, and most of these conditions hold at the first try.
     */
    private static ConditionFactory soon(Duration atMost) {
        return await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50));
    }
}
