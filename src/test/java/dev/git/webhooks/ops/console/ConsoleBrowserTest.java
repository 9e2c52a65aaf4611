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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Browser;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The console in real headless Chromium: an operator finds another owner's failed delivery, reads its attempts,
 * replays it after a dry run and watches the progress reach 100 %, follows the replayed delivery to its copy,
 * redrives a dead letter and sees it delivered; a bulk replay over more endpoints than a page shows; empty pages;
 * every page checked for secrets and for markup that data brought in, and at phone width for sideways scrolling.
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

    private WebDriver driver;
    private String signedInKey;

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
        driver.get(url("/console/login"));
        driver.manage().deleteAllCookies();
        signedInKey = null;
    }

    @Test
    void anOperatorFindsAFailedDeliveryReplaysItAndRedrivesADeadLetter() throws Exception {
        Api.Owner acme = Api.newOwner();
        Api.Hook hook = Api.hook(acme, aResponse().withStatus(500).withHeader("X-Answer", MARKUP).withBody(MARKUP));
        String event = Kafka.newEventId();
        Kafka.publish("deploy.failed", acme.name(), eventWithMarkup("deploy.failed", event, acme.name()));
        String operator = Api.newOperatorKey(List.of("ops:read", "ops:replay"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Api.as(operator).queryParam("owner", acme.name())
                .queryParam("status", "failed").get("/v2/ops/deliveries").<List<?>>path("data").size() == 1);
        Receivers.server().stubFor(post(urlEqualTo(hook.path())).willReturn(aResponse().withStatus(200)));

        signIn(operator);
        assertThat(text("who"), containsString("Operator"));
        browser.screenshot("overview");
        open("/console/endpoints?owner=" + acme.name());
        browser.screenshot("endpoints");

        open("/console/deliveries");
        driver.findElement(By.id("f-owner")).sendKeys(acme.name());
        new Select(driver.findElement(By.id("f-status"))).selectByValue("failed");
        clickThen(By.id("f-apply"), By.id("deliveries"));
        List<?> rows = driver.findElements(By.cssSelector("#deliveries tbody tr"));
        assertThat(rows, hasSize(1));
        browser.screenshot("deliveries");
        clickThen(By.cssSelector("#deliveries tbody tr a"), By.id("attempt-4"));
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
        driver.findElement(By.id("start-replay")).click();
        browser.waiting(Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("progress-done")));
        checked();
        assertThat(text("progress-percent"), equalTo("100 %"));
        String batch = driver.getCurrentUrl().replaceAll(".*[?&]batch=([^&]+).*", "$1");
        browser.screenshot("replay-progress");
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(hook.path()).size() == 5);

        open("/console/deliveries");
        driver.findElement(By.id("f-owner")).sendKeys(acme.name());
        new Select(driver.findElement(By.id("f-status"))).selectByValue("replayed");
        clickThen(By.id("f-apply"), By.id("deliveries"));
        assertThat(driver.findElements(By.cssSelector("#deliveries tbody tr")), hasSize(1));
        assertThat(text("deliveries"), containsString(original));
        clickThen(By.cssSelector("#deliveries tbody tr a"), By.id("replayed-by"));
        assertThat(text("status"), equalTo("replayed"));
        String copy = text("replayed-by");
        clickThen(By.id("replayed-by"), By.id("copy-of"));
        assertThat(driver.findElement(By.cssSelector("h1 .mono")).getText(), equalTo(copy));
        assertThat(text("copy-of"), equalTo(original));

        String redriven = Kafka.newEventId();
        Kafka.publishDeadLetter("deploy.success", "unstorable", eventWithMarkup("deploy.success", redriven,
                acme.name()));
        String letter = await().atMost(Duration.ofSeconds(15)).until(() -> letterFor(operator, redriven),
                id -> id != null);
        open("/console/dead-letters?state=new");
        browser.screenshot("dead-letters");
        clickThen(By.cssSelector("tr[data-letter='" + letter + "'] a"), By.id("letter-preview"));
        assertThat(text("letter-preview"), containsString(redriven));
        assertThat("the dead letter is shown as text", text("letter-preview"), containsString(SHOWN_MARKUP));
        browser.screenshot("dead-letter");
        driver.findElement(By.id("redrive")).click();
        browser.waiting(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("letter-state"), "redriven"));
        checked();
        await().atMost(Duration.ofSeconds(15)).until(() -> Receivers.received(hook.path()).stream()
                .anyMatch(r -> redriven.equals(r.getHeader("webhook-id"))));
        browser.waiting(Duration.ofSeconds(10)).until(d -> {
            d.get(url("/console/events/" + redriven));
            return d.getPageSource().contains("badge delivered");
        });
        checked();
        assertThat(text("payload"), containsString(SHOWN_MARKUP));
        browser.screenshot("event");

        open("/console/audit");
        assertThat(text("audit"), containsString("dead_letter.redrive"));
        assertThat(text("audit"), containsString("replay.bulk"));
        browser.screenshot("audit");

        open("/console/deliveries?owner=" + acme.name() + "&event=" + encode(MARKUP));
        assertThat("an error that names the value typed", text("error-heading"), equalTo("Check the form"));
        open("/console/audit?target=" + encode(MARKUP));
        assertThat(driver.findElement(By.name("target")).getAttribute("value"), equalTo(MARKUP));

        List<String> pages = List.of("/console", "/console/endpoints?owner=" + acme.name(),
                "/console/deliveries?owner=" + acme.name(), "/console/deliveries/" + original,
                "/console/deliveries/" + copy, "/console/events/" + event, "/console/events/" + redriven,
                "/console/replays", "/console/replays?batch=" + batch, "/console/dead-letters",
                "/console/dead-letters/" + letter, "/console/audit", "/console/login");
        browser.size(Browser.PHONE);
        for (String page : pages) {
            open(page);
            long overflow = (Long) js("return document.documentElement.scrollWidth"
                    + " - document.documentElement.clientWidth;");
            assertThat("no sideways scrolling at phone width on " + page, overflow, lessThanOrEqualTo(0L));
            if (page.startsWith("/console/deliveries/" + original)) {
                browser.screenshot("phone-delivery");
            }
        }
        browser.screenshot("phone-login");
    }

    @Test
    void aCustomerSeesOnlyItsOwnData() throws Exception {
        Api.Owner mine = Api.newOwner();
        Api.Owner theirs = Api.newOwner();
        Api.Hook myHook = Api.hook(mine, aResponse().withStatus(200));
        Api.Hook theirHook = Api.hook(theirs, aResponse().withStatus(200));
        Kafka.publish("repo.push", mine.name(), Kafka.event("repo.push", Kafka.newEventId(), mine.name(), null));
        Kafka.publish("repo.push", theirs.name(), Kafka.event("repo.push", Kafka.newEventId(), theirs.name(), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(myHook.path()).size() == 1
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
        open("/console/deliveries/" + theirDelivery);
        assertThat(text("error-heading"), equalTo("Not found"));
        browser.screenshot("customer-not-found");
        open("/console/dead-letters");
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
    void aBulkReplayOverManyEndpointsShowsTheProgressOfAllItsReplaysAndOlderPagesKeepTheirFilters()
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
        await().atMost(Duration.ofSeconds(20)).until(() -> Api.as(operator).queryParam("owner", many.name())
                .queryParam("status", "delivered").get("/v2/ops/deliveries").<List<?>>path("data").size() == 1);

        // One replay per endpoint, newest first: the only one with a delivery to copy (the first endpoint's) is
        // the 31st, on the second page; a sum over the first page would say 0 of 0, done.
        signIn(operator);
        open("/console/replays");
        driver.findElement(By.id("r-owner")).sendKeys(many.name());
        new Select(driver.findElement(By.id("r-status"))).selectByValue("delivered");
        clickThen(By.id("dry-run"), By.id("dry-run-total"));
        assertThat(text("dry-run-total"), startsWith("1 deliveries would be sent again, over 31 endpoint(s)"));
        clickThen(By.id("start-replay"), By.id("progress-panel"));
        assertThat("the whole batch's deliveries", text("progress-panel"), containsString(" of 1 deliveries"));
        browser.waiting(Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("progress-done")));
        checked();
        assertThat(text("progress-panel"), containsString("1 of 1 deliveries"));
        assertThat(replayRows(), hasSize(30));
        assertThat(replayWebhooks(), not(hasItem(firstHook)));
        browser.screenshot("bulk-replay-progress");
        olderKeeps("batch=");
        assertThat(replayWebhooks(), equalTo(List.of(firstHook)));
        assertThat("the second page still follows the batch", text("progress-panel"),
                containsString("1 of 1 deliveries"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path).size() == 2);

        open("/console/replays?owner=" + many.name());
        assertThat(replayRows(), hasSize(30));
        olderKeeps("owner=" + many.name());
        assertThat("31 dry runs by API, 31 in the console, 31 replays", replayRows(), hasSize(30));
        assertThat(driver.findElements(By.cssSelector("#replays tbody td:nth-child(2)")).stream()
                .map(e -> e.getText()).distinct().toList(), equalTo(List.of(many.name())));

        open("/console/replays?webhook=" + firstHook);
        assertThat(replayRows(), hasSize(30));
        olderKeeps("webhook=" + firstHook);
        assertThat("31 dry runs by API, one in the console, one replay", replayRows(), hasSize(3));
        assertThat(replayWebhooks().stream().distinct().toList(), equalTo(List.of(firstHook)));

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

    private List<String> replayWebhooks() {
        return driver.findElements(By.cssSelector("#replays tbody tr td.mono a")).stream().map(e -> e.getText())
                .toList();
    }

    @Test
    void aTamperedCookieAndAFormWithoutItsCsrfTokenAreRefused() throws Exception {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        Kafka.publish("pr.merged", owner.name(), Kafka.event("pr.merged", Kafka.newEventId(), owner.name(), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(hook.path()).size() == 1);
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
        open("/console/deliveries");
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

    /** Clicks, then waits for an element of the page that the click leads to. */
    private void clickThen(By target, By onNextPage) {
        driver.findElement(target).click();
        browser.waiting(Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(onNextPage));
        checked();
    }

    /**
     * What every page must hold to: no signing secret and not the signed-in key in its source, and no script run:
     * the console has none of its own, so any script element or its effect came in with data.
     */
    private void checked() {
        String page = driver.getCurrentUrl();
        String source = driver.getPageSource();
        assertThat("no signing secret on " + page, source, not(containsString("whsec_")));
        if (signedInKey != null) {
            assertThat("the API key is not on " + page, source, not(containsString(signedInKey.substring(4))));
        }
        assertThat("no script on " + page, js("return document.scripts.length;"), equalTo(0L));
        assertThat("nothing ran on " + page, js("return typeof window.__xss;"), equalTo("undefined"));
    }

    private Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
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
}
