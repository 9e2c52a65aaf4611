package dev.git.webhooks.ops.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
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
 * replays it after a dry run and watches the progress reach 100 %, redrives a dead letter and sees it delivered.
 */
@QuarkusTest
class ConsoleBrowserTest {

    private static Browser browser;

    @TestHTTPResource("/")
    URL base;

    private WebDriver driver;

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
    }

    @Test
    void anOperatorFindsAFailedDeliveryReplaysItAndRedrivesADeadLetter() throws Exception {
        Api.Owner acme = Api.newOwner();
        Api.Hook hook = Api.hook(acme, aResponse().withStatus(500));
        String event = Kafka.newEventId();
        Kafka.publish("deploy.failed", acme.name(), Kafka.event("deploy.failed", event, acme.name(), null));
        String operator = Api.newOperatorKey(List.of("ops:read", "ops:replay"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Api.as(operator).queryParam("owner", acme.name())
                .queryParam("status", "failed").get("/v2/ops/deliveries").<List<?>>path("data").size() == 1);
        Receivers.server().stubFor(post(urlEqualTo(hook.path())).willReturn(aResponse().withStatus(200)));

        signIn(operator);
        assertThat(text("who"), containsString("Operator"));
        browser.screenshot("overview");
        driver.get(url("/console/endpoints?owner=" + acme.name()));
        browser.screenshot("endpoints");

        driver.get(url("/console/deliveries"));
        driver.findElement(By.id("f-owner")).sendKeys(acme.name());
        new Select(driver.findElement(By.id("f-status"))).selectByValue("failed");
        clickThen(By.id("f-apply"), By.id("deliveries"));
        List<?> rows = driver.findElements(By.cssSelector("#deliveries tbody tr"));
        assertThat(rows, hasSize(1));
        browser.screenshot("deliveries");
        clickThen(By.cssSelector("#deliveries tbody tr a"), By.id("attempt-4"));
        assertThat(driver.findElements(By.cssSelector("section.attempt")), hasSize(4));
        assertThat(text("attempt-4"), containsString("HTTP 500"));
        String signatures = driver.findElements(By.cssSelector("#attempt-1 tr.sig")).stream()
                .map(e -> e.getText()).reduce("", String::concat);
        assertThat(signatures, containsString("sha256="));
        assertThat(signatures, containsString("v1,"));
        assertThat(driver.getPageSource(), not(containsString("whsec_")));
        browser.screenshot("delivery");

        driver.get(url("/console/replays"));
        driver.findElement(By.id("r-owner")).sendKeys(acme.name());
        driver.findElement(By.id("r-webhook")).sendKeys(hook.id());
        clickThen(By.id("dry-run"), By.id("dry-run-total"));
        assertThat(text("dry-run-total"), startsWith("1 deliveries would be sent"));
        browser.screenshot("replay-dry-run");
        assertThat("the dry run sent nothing", Receivers.received(hook.path()), hasSize(4));
        driver.findElement(By.id("start-replay")).click();
        browser.waiting(Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("progress-done")));
        assertThat(text("progress-percent"), equalTo("100 %"));
        browser.screenshot("replay-progress");
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(hook.path()).size() == 5);

        String redriven = Kafka.newEventId();
        Kafka.publishDeadLetter("deploy.success", "unstorable", Kafka.event("deploy.success", redriven,
                acme.name(), null));
        String letter = await().atMost(Duration.ofSeconds(15)).until(() -> letterFor(operator, redriven),
                id -> id != null);
        driver.get(url("/console/dead-letters?state=new"));
        browser.screenshot("dead-letters");
        clickThen(By.cssSelector("tr[data-letter='" + letter + "'] a"), By.id("letter-preview"));
        assertThat(text("letter-preview"), containsString(redriven));
        browser.screenshot("dead-letter");
        driver.findElement(By.id("redrive")).click();
        browser.waiting(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("letter-state"), "redriven"));
        await().atMost(Duration.ofSeconds(15)).until(() -> Receivers.received(hook.path()).stream()
                .anyMatch(r -> redriven.equals(r.getHeader("webhook-id"))));
        browser.waiting(Duration.ofSeconds(10)).until(d -> {
            d.get(url("/console/events/" + redriven));
            return d.getPageSource().contains("badge delivered");
        });
        browser.screenshot("event");

        driver.get(url("/console/audit"));
        assertThat(text("audit"), containsString("dead_letter.redrive"));
        assertThat(text("audit"), containsString("replay.bulk"));
        browser.screenshot("audit");
        for (String page : List.of("/console", "/console/deliveries?owner=" + acme.name(), "/console/replays")) {
            browser.size(Browser.PHONE);
            driver.get(url(page));
            long overflow = (Long) ((JavascriptExecutor) driver).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat("no sideways scrolling at phone width on " + page, overflow, lessThanOrEqualTo(0L));
        }
        browser.screenshot("phone-replays");
        driver.get(url("/console"));
        browser.screenshot("phone-overview");
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
        driver.get(url("/console/deliveries?owner=" + theirs.name()));
        assertThat(driver.getPageSource(), containsString(myDelivery));
        assertThat(driver.getPageSource(), not(containsString(theirDelivery)));
        assertThat(driver.findElements(By.linkText("Dead letters")), hasSize(0));
        browser.screenshot("customer-deliveries");
        driver.get(url("/console/deliveries/" + theirDelivery));
        assertThat(text("error-heading"), equalTo("Not found"));
        browser.screenshot("customer-not-found");
        driver.get(url("/console/dead-letters"));
        assertThat(text("error-heading"), equalTo("Not allowed"));
        driver.get(url("/console/endpoints"));
        assertThat(driver.getPageSource(), containsString(myHook.id()));
        assertThat(driver.getPageSource(), not(containsString(theirHook.id())));
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
        driver.get(url("/console/deliveries"));
        assertThat(text("problem"), containsString("not accepted"));
        assertThat(driver.getPageSource(), not(containsString(delivery)));
        browser.screenshot("tampered-cookie");

        signIn(owner.key());
        driver.get(url("/console/deliveries/" + delivery));
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
    }

    /** Clicks, then waits for an element of the page that the click leads to. */
    private void clickThen(By target, By onNextPage) {
        driver.findElement(target).click();
        browser.waiting(Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(onNextPage));
    }

    private String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    private static String letterFor(String operator, String marker) {
        List<Map<String, Object>> letters = Api.as(operator).queryParam("limit", 100).get("/v2/ops/dead-letters")
                .path("data");
        return letters.stream().filter(l -> String.valueOf(((Map<?, ?>) l.get("preview")).get("text"))
                .contains(marker)).map(l -> (String) l.get("id")).findFirst().orElse(null);
    }
}
