package dev.git.webhooks.ops.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.ops.Replays;
import dev.git.webhooks.ops.console.session.Sessions;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Console;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import io.restassured.response.Response;

/**
 * The console over plain HTTP, form by form: every form refuses a missing or wrong CSRF token and changes nothing,
 * and acts (and is audited) with the right one; sign-in refuses the admin key and forged forms; a revoked key, an
 * expired session and a signed-out one no longer sign in; the security headers and the cookie's attributes; a
 * customer's key acting on another owner's ids answers 404; a replay of pending or replayed deliveries is refused.
 */
@QuarkusTest
class ConsoleHttpTest {

    @Inject
    Sessions sessions;

    private String operator;
    private String operatorId;

    @BeforeEach
    void operatorKey() {
        Response created = Api.admin().body(Map.of("scopes", List.of("ops:read", "ops:replay"), "plan", "enterprise",
                "name", "console-test")).post("/v2/api-keys");
        created.then().statusCode(201);
        operator = Json.at(created, "key");
        operatorId = Json.at(created, "id");
    }

    /** A console form, and what it would change, read through the API. */
    private record Form(String path, Map<String, String> fields, Supplier<Object> state) {
    }

    @Test
    void everyFormRefusesAMissingOrWrongCsrfTokenAndChangesNothing() {
        World w = world();
        String letter = deadLetter();
        Console.Session session = Console.signIn(operator);
        Console.Session other = Console.signIn(operator);
        List<Form> forms = forms(w, letter, session);
        assertThat("every POST route of the console is tried", routes(forms), equalTo(consolePostRoutes()));

        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("no token", null);
        tokens.put("an empty token", "");
        tokens.put("a forged token", "forged-" + session.csrf());
        tokens.put("another session's token", other.csrf());
        List<String> problems = new ArrayList<>();
        for (Form form : forms) {
            Object before = form.state().get();
            tokens.forEach((label, token) -> {
                Response answer = session.post(form.path(), form.fields(), token);
                if (answer.statusCode() != 403 || !answer.asString().contains("Form refused")) {
                    problems.add(form.path() + " with " + label + " answered " + answer.statusCode());
                }
                if (!form.state().get().equals(before)) {
                    problems.add(form.path() + " with " + label + " changed " + before + " to " + form.state().get());
                }
            });
        }
        Console.SignInForm signIn = Console.signInForm();
        Map<String, Console.SignInForm> forged = Map.of("no token", new Console.SignInForm(signIn.cookie(), null),
                "a forged token", new Console.SignInForm(signIn.cookie(), "forged"),
                "no sign-in cookie", new Console.SignInForm(null, signIn.csrf()),
                "another form's cookie", new Console.SignInForm(Console.signInForm().cookie(), signIn.csrf()));
        forged.forEach((label, form) -> {
            Response answer = form.submit(operator, form.csrf());
            String cookie = answer.getCookie(Console.COOKIE);
            boolean signedIn = cookie != null && !cookie.isEmpty();
            if (answer.statusCode() != 403 || signedIn) {
                problems.add("/console/login with " + label + " answered " + answer.statusCode()
                        + (signedIn ? " and a session" : ""));
            }
        });
        assertThat(problems, empty());
    }

    @Test
    void everyFormActsWithItsCsrfTokenAndOperatorActionsAreAudited() {
        World w = world();
        String redriven = deadLetter();
        String discarded = deadLetter();
        Console.Session session = Console.signIn(operator);
        Map<String, String> replayFields = Map.of("owner", w.owner().name(), "webhook", w.fine().id(), "status",
                "delivered");

        // a failed delivery of a disabled endpoint is not offered for redelivery (it would be refused): why, instead
        String offFailed = w.owner().request().get("/v2/webhooks/" + w.off().id() + "/deliveries").then()
                .statusCode(200).extract().as(Json.Doc.class).at("data[0].id");
        String offPage = session.get("/console/deliveries/" + offFailed).then().statusCode(200).extract().asString();
        assertThat(offPage, containsString("id=\"why-no-redeliver\""));
        assertThat(offPage, not(containsString("id=\"redeliver\"")));
        assertThat(session.get("/console/deliveries/" + w.delivery()).then().statusCode(200).extract().asString(),
                containsString("id=\"redeliver\""));

        for (Map<String, String> typo : List.of(Map.of("webhook", "wh_nosuchendpoint"), Map.of("owner",
                Api.newOwner().name(), "webhook", w.fine().id()))) { // no such endpoint; another owner's
            Response refused = session.post("/console/replays/preview", typo);
            refused.then().statusCode(400);
            assertThat("the form stays, the endpoint id named", refused.asString(),
                    containsString("id=\"webhook-error\""));
            assertThat(refused.asString(), containsString("value=\"" + typo.get("webhook") + "\""));
        }
        session.post("/console/replays/preview", replayFields).then().statusCode(200);
        List<Map<String, Object>> replays = replays(w.owner().name());
        assertThat(replays.get(0).get("dry_run"), equalTo(true));
        assertThat(replays.get(0).get("webhook_id"), equalTo(w.fine().id()));
        audited("replay.dry_run", "owner:" + w.owner().name());

        String started = session.post("/console/replays", replayFields).then().statusCode(303).extract()
                .header("Location");
        assertThat(started, containsString("/console/replays/rpb_"));
        String batch = started.replaceAll(".*/console/replays/(rpb_[^?]+).*", "$1");
        Api.as(operator).queryParam("batch", batch).get("/v2/replays").then().body(Json.at("data", hasSize(1)))
                .body(Json.at("data[0].webhook_id", equalTo(w.fine().id())))
                .body(Json.at("data[0].dry_run", equalTo(false)));
        audited("replay.bulk", "owner:" + w.owner().name());

        String copy = session.post("/console/deliveries/" + w.delivery() + "/redeliver", Map.of()).then()
                .statusCode(303).header("Location", containsString("/console/deliveries/dlv_")).extract()
                .header("Location").replaceAll(".*/console/deliveries/([^?]+).*", "$1");
        // the bulk replay above copies deliveries of the same endpoint meanwhile: count this copy alone
        assertThat(Db.query("select redelivery_of, replay_id is null as by_no_replay from delivery where id = ?",
                copy), equalTo(List.of(Map.of("redelivery_of", w.delivery(), "by_no_replay", true))));
        audited("delivery.redeliver", w.delivery());

        // its confirmation counts what a cancel leaves unsent: the one delivery it has not copied yet
        String confirm = session.get("/console/replays/" + w.waiting() + "/cancel").then().statusCode(200).extract()
                .asString();
        assertThat(confirm, containsString("It has processed <b>0</b> of <b>1</b> deliveries"));
        assertThat(confirm, containsString("the <b>1</b> not copied yet are not sent"));
        session.post("/console/replays/" + w.waiting() + "/cancel", Map.of()).then().statusCode(303);
        assertThat(replayState(w.waiting()), equalTo("cancelled"));
        audited("replay.cancel", w.waiting());
        String ended = session.get("/console/replays/" + w.waiting() + "/cancel").asString();
        assertThat("an ended replay offers nothing to cancel", ended, containsString("id=\"already-ended\""));
        assertThat(ended, not(containsString("id=\"confirm\"")));

        session.post("/console/endpoints/" + w.off().id() + "/enable", Map.of()).then().statusCode(303);
        assertThat(status(w.owner(), w.off()), equalTo("enabled"));
        audited("webhook.enable", w.off().id());
        session.post("/console/endpoints/" + w.off().id() + "/disable", Map.of()).then().statusCode(303);
        assertThat(status(w.owner(), w.off()), equalTo("disabled"));
        audited("webhook.disable", w.off().id());
        assertThat("an endpoint target is named and linked on the audit page", session.get("/console/audit?target="
                + w.off().id()).then().statusCode(200).extract().asString(), containsString("<a href=\"/console/"
                + "endpoints/" + w.off().id() + "\">"));
        session.post("/console/endpoints/" + w.off().id() + "/enable-and-replay", Map.of()).then().statusCode(303)
                .header("Location", containsString("/console/replays/rpl_"));
        assertThat(status(w.owner(), w.off()), equalTo("enabled"));
        Api.as(operator).queryParam("webhook", w.off().id()).get("/v2/replays").then().body(Json.at("data", hasSize(1)))
                .body(Json.at("data[0].total", equalTo(1))).body(Json.at("data[0].filter.status", equalTo("failed")));
        audited("webhook.enable_and_replay", w.off().id());

        // enable and recover what it missed: a time too old for the retention is refused on the form, nothing changes
        session.post("/console/endpoints/" + w.off().id() + "/disable", Map.of()).then().statusCode(303);
        Response refused = session.post("/console/endpoints/" + w.off().id() + "/enable-and-recover",
                Map.of("since", java.time.Instant.now().minus(java.time.Duration.ofDays(40)).toString()));
        refused.then().statusCode(400);
        assertThat(refused.asString(), containsString("webhooks.retention"));
        assertThat(status(w.owner(), w.off()), equalTo("disabled"));
        session.post("/console/endpoints/" + w.off().id() + "/enable-and-recover", Map.of("since",
                java.time.Instant.now().minusSeconds(3600).toString())).then().statusCode(303)
                .header("Location", containsString("/console/replays/rpl_"));
        assertThat(status(w.owner(), w.off()), equalTo("enabled"));
        Api.as(operator).queryParam("webhook", w.off().id()).get("/v2/replays").then().body(Json.at("data", hasSize(2)))
                .body(Json.at("data.filter.status", org.hamcrest.Matchers.hasItem("recover")));
        audited("webhook.enable_and_replay", w.off().id());

        // recover what an enabled endpoint missed (it was paused, say): offered on its page, refused on the form
        // past the retention, then a replay of the recover kind
        assertThat(session.get("/console/endpoints/" + w.fine().id()).then().statusCode(200).extract().asString(),
                containsString("href=\"/console/endpoints/" + w.fine().id() + "/recover\""));
        // paused, then resumed a while later: the form's start is before the pause (its last event's delivery, or
        // its creation), not the resume, which would recover nothing of what it missed
        java.time.Instant paused = java.time.Instant.now();
        w.owner().request().body(Map.of("active", false)).patch("/v2/webhooks/" + w.fine().id()).then().statusCode(200);
        await("a second later than the pause, to the second").atMost(java.time.Duration.ofSeconds(3))
                .until(() -> java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        .isAfter(paused));
        w.owner().request().body(Map.of("active", true)).patch("/v2/webhooks/" + w.fine().id()).then().statusCode(200);
        String recoverPage = session.get("/console/endpoints/" + w.fine().id() + "/recover").then().statusCode(200)
                .body(containsString("id=\"recover-form\"")).extract().asString();
        java.util.regex.Matcher since = java.util.regex.Pattern.compile("name=\"since\" value=\"([^\"]+)\"")
                .matcher(recoverPage);
        assertThat(since.find(), equalTo(true));
        assertThat("starts before the pause: " + since.group(1),
                java.time.Instant.parse(since.group(1)).isAfter(paused), equalTo(false));
        Response tooOld = session.post("/console/endpoints/" + w.fine().id() + "/recover",
                Map.of("since", java.time.Instant.now().minus(java.time.Duration.ofDays(40)).toString()));
        tooOld.then().statusCode(400);
        assertThat(tooOld.asString(), containsString("webhooks.retention"));
        session.post("/console/endpoints/" + w.fine().id() + "/recover", Map.of("since",
                java.time.Instant.now().minusSeconds(3600).toString())).then().statusCode(303)
                .header("Location", containsString("/console/replays/rpl_"));
        Api.as(operator).queryParam("webhook", w.fine().id())
                .get("/v2/replays").then()
                .body(Json.at("data.filter.status", org.hamcrest.Matchers.hasItem("recover")));
        audited("webhook.recover", w.fine().id());

        session.post("/console/dead-letters/" + discarded + "/discard", Map.of()).then().statusCode(303);
        assertThat(letterState(discarded), equalTo("discarded"));
        audited("dead_letter.discard", discarded);
        session.post("/console/dead-letters/" + redriven + "/redrive", Map.of()).then().statusCode(303);
        assertThat(letterState(redriven), equalTo("redriven"));
        audited("dead_letter.redrive", redriven);
        assertThat("the letter names the key that redrove it", session.get("/console/dead-letters/" + redriven)
                .asString(), containsString("by console-test <span class=\"small mono\">" + operatorId + "</span>"));

        session.post("/console/logout", Map.of()).then().statusCode(303)
                .header("Location", endsWith("/console/login?notice=signed-out"));
        session.get("/console").then().statusCode(401);
        Api.as(operator).queryParam("action", "console.sign_out").queryParam("key_id", operatorId)
                .get("/v2/ops/audit").then().statusCode(200)
                .body(Json.at("data[0].result", equalTo("succeeded"))).body(Json.at("data[0].status", equalTo(200)))
                .body(Json.at("data[0].outcome", equalTo("Signed out")));
    }

    @Test
    void aCustomerActingOnAnotherOwnersIdsGets404AndNothingChanges() {
        World theirs = world();
        Api.Owner mine = Api.newOwner();
        Api.hook(mine, aResponse().withStatus(200));
        Console.Session session = Console.signIn(mine.key());
        Map<String, String> theirReplay = Map.of("webhook", theirs.fine().id(), "status", "delivered");
        Supplier<Object> state = () -> List.of(endpoint(theirs.owner(), theirs.fine()), sealedSecret(theirs.fine()),
                endpoint(theirs.owner(), theirs.paused()), status(theirs.owner(), theirs.fine()),
                status(theirs.owner(), theirs.off()), deliveries(theirs.owner(), theirs.fine()),
                replayState(theirs.waiting()), replays(theirs.owner().name()).size());
        Object before = state.get();
        assertThat("another owner's endpoint is not named on the replays page", session.get("/console/replays?webhook="
                + theirs.fine().id()).asString(), not(containsString(Receivers.url(theirs.fine().path()))));

        for (String path : List.of("/console/endpoints/" + theirs.fine().id() + "/disable",
                "/console/endpoints/" + theirs.fine().id() + "/ping",
                "/console/endpoints/" + theirs.fine().id() + "/verify-ownership",
                "/console/endpoints/" + theirs.paused().id() + "/resume",
                "/console/endpoints/" + theirs.off().id() + "/enable",
                "/console/endpoints/" + theirs.off().id() + "/enable-and-replay",
                "/console/endpoints/" + theirs.off().id() + "/enable-and-recover",
                "/console/endpoints/" + theirs.fine().id() + "/recover",
                "/console/deliveries/" + theirs.delivery() + "/redeliver",
                "/console/replays/" + theirs.waiting() + "/cancel")) {
            Response answer = session.post(path, Map.of());
            answer.then().statusCode(404);
            assertThat(path, answer.asString(), containsString("Not found"));
        }
        session.post("/console/endpoints/" + theirs.fine().id(), Map.of("url", "https://example.com/x", "events",
                "*")).then().statusCode(404);
        session.post("/console/endpoints/" + theirs.fine().id() + "/rotate", Map.of("secret", newSecret()))
                .then().statusCode(404);
        for (String page : List.of("/console/endpoints/" + theirs.fine().id(), "/console/endpoints/"
                + theirs.fine().id() + "/edit", "/console/endpoints/" + theirs.fine().id() + "/rotate",
                "/console/endpoints/" + theirs.fine().id() + "/disable", "/console/endpoints/" + theirs.off().id()
                + "/enable", "/console/endpoints/" + theirs.fine().id() + "/recover", "/console/replays/" + theirs.waiting(), "/console/replays/" + theirs.waiting()
                + "/progress", "/console/replays/" + theirs.waiting() + "/cancel")) {
            Response answer = session.get(page);
            answer.then().statusCode(404);
            assertThat(page, answer.asString(), containsString("Not found"));
        }
        session.post("/console/replays", theirReplay).then().statusCode(404);
        session.post("/console/replays/preview", theirReplay).then().statusCode(404);
        // the owner field is an operator's: a customer's replay is always of its own endpoints
        session.post("/console/replays", Map.of("owner", theirs.owner().name(), "status", "delivered")).then()
                .statusCode(303);
        session.get("/console/deliveries/" + theirs.delivery()).then().statusCode(404);
        String letter = deadLetter();
        session.post("/console/dead-letters/" + letter + "/discard", Map.of()).then().statusCode(403);
        assertThat(state.get(), equalTo(before));
        assertThat(letterState(letter), equalTo("new"));
    }

    /**
     * A page offers only what the signed-in key can do: an operator key that reads only gets no replay form and no
     * redrive or discard; one that may replay gets the replay form of an endpoint with its owner filled in.
     */
    @Test
    void aReadOnlyOperatorIsOfferedNoReplayNorRedriveAndAnEndpointsReplayFormKnowsItsOwner() {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        String letter = deadLetter();
        String reader = Json.at(Api.admin().body(Map.of("scopes", List.of("ops:read"), "name", "console-reader"))
                .post("/v2/api-keys"), "key");
        Console.Session reading = Console.signIn(reader);
        String replays = reading.get("/console/replays?webhook=" + hook.id()).then().statusCode(200).extract()
                .asString();
        assertThat(replays, not(containsString("id=\"replay-form\"")));
        assertThat(replays, containsString("id=\"replay-not-allowed\""));
        String shown = reading.get("/console/dead-letters/" + letter).then().statusCode(200).extract().asString();
        assertThat(shown, not(containsString("id=\"redrive\"")));
        assertThat(shown, not(containsString("id=\"discard\"")));

        Console.Session replaying = Console.signIn(operator);
        assertThat("the same letter offers its redrive to a key that may", replaying.get("/console/dead-letters/"
                + letter).asString(), containsString("id=\"redrive\""));
        String form = replaying.get("/console/replays?webhook=" + hook.id()).then().statusCode(200).extract()
                .asString();
        assertThat(form, containsString("id=\"replay-form\""));
        assertThat("the list says which endpoint by its name", form, containsString("id=\"replay-window\">Replays of <b>"
                + Receivers.url(hook.path()) + "</b>"));
        assertThat("the owner of the endpoint named, not left for the operator to type", form,
                containsString("value=\"" + owner.name() + "\""));
    }

    @Test
    void aConsoleReplayOfPendingOrReplayedDeliveriesIsRefused() {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        Console.Session session = Console.signIn(operator);
        for (String status : List.of("pending", "replayed")) {
            for (String path : List.of("/console/replays/preview", "/console/replays")) {
                Response refused = session.post(path, Map.of("owner", owner.name(), "webhook", hook.id(), "status",
                        status));
                refused.then().statusCode(400);
                assertThat(refused.asString(), containsString("must be failed or delivered"));
            }
        }
        assertThat(replays(owner.name()), hasSize(0));
        session.post("/console/replays/preview", Map.of("owner", owner.name(), "webhook", hook.id(), "status",
                "failed")).then().statusCode(200);
    }

    @Test
    void signInRefusesTheAdminKeyAndAnUnknownKey() {
        Console.SignInForm form = Console.signInForm();
        Response admin = form.submit(Api.ADMIN_KEY, form.csrf());
        admin.then().statusCode(403);
        assertThat(admin.asString(), containsString("admin key"));
        assertThat(admin.getCookie(Console.COOKIE), emptyOrNullString());
        Response unknown = form.submit("whk_not_a_key", form.csrf());
        unknown.then().statusCode(401);
        assertThat(unknown.getCookie(Console.COOKIE), emptyOrNullString());
    }

    @Test
    void theSessionCookieIsHttpOnlySameSiteStrictAndSecure() {
        Console.SignInForm form = Console.signInForm();
        Response signedIn = form.submit(operator, form.csrf());
        signedIn.then().statusCode(303);
        for (Cookie cookie : List.of(signedIn.getDetailedCookie(Console.COOKIE),
                given().get("/console/login").getDetailedCookie(Console.SIGN_IN_COOKIE))) {
            assertThat(cookie.getName(), cookie.isHttpOnly(), equalTo(true));
            assertThat(cookie.getName(), cookie.isSecured(), equalTo(true));
            assertThat(cookie.getName(), cookie.getSameSite(), equalTo("Strict"));
            assertThat(cookie.getName(), cookie.getPath(), equalTo("/console"));
        }
        assertThat(signedIn.getDetailedCookie(Console.COOKIE).getValue(), startsWith("v1."));
        assertThat("the key is not readable in the cookie", signedIn.getCookie(Console.COOKIE),
                org.hamcrest.Matchers.not(containsString(operator)));
    }

    @Test
    void everyConsoleAnswerCarriesTheSecurityHeaders() {
        Console.Session session = Console.signIn(operator);
        List<Response> answers = new ArrayList<>();
        for (String page : List.of("/console", "/console/endpoints", "/console/deliveries", "/console/replays",
                "/console/dead-letters", "/console/audit", "/console/event-types", "/console/deliveries/dlv_missing")) {
            answers.add(session.get(page));
        }
        answers.add(session.post("/console/endpoints/wh_missing/disable", Map.of(), null));
        answers.add(given().get("/console/login"));
        answers.add(given().redirects().follow(false).get("/console"));
        answers.add(given().redirects().follow(false).cookie(Console.COOKIE, "v1.forged").get("/console"));
        assertThat(answers.stream().map(Response::statusCode).toList(),
                equalTo(List.of(200, 200, 200, 200, 200, 200, 200, 404, 403, 200, 303, 401)));
        for (Response answer : answers) {
            assertThat(answer.header("Content-Security-Policy"), containsString("default-src 'self'"));
            assertThat(answer.header("Content-Security-Policy"), containsString("script-src 'none'"));
            assertThat(answer.header("Content-Security-Policy"), containsString("frame-ancestors 'none'"));
            assertThat(answer.header("Content-Security-Policy"), containsString("form-action 'self'"));
            assertThat(answer.header("X-Frame-Options"), equalTo("DENY"));
            assertThat(answer.header("X-Content-Type-Options"), equalTo("nosniff"));
            assertThat(answer.header("Referrer-Policy"), equalTo("same-origin"));
            assertThat(answer.header("Cache-Control"), equalTo("no-store"));
        }
    }

    @Test
    void aRevokedKeysSessionIsSignedOut() {
        String owner = "org-" + dev.git.webhooks.common.Ids.random(10);
        Response created = Api.admin().body(Map.of("owner", owner, "scopes", Api.ALL_SCOPES, "plan", "pro"))
                .post("/v2/api-keys");
        Console.Session session = Console.signIn(Json.at(created, "key"));
        session.get("/console/endpoints").then().statusCode(200);

        Api.admin().delete("/v2/api-keys/" + Json.at(created, "id")).then().statusCode(204);
        Response refused = session.get("/console/endpoints");
        refused.then().statusCode(401);
        assertThat(refused.asString(), containsString("no longer valid"));
        assertThat("the cookie is cleared", refused.getCookie(Console.COOKIE), emptyOrNullString());
        assertThat(refused.getDetailedCookie(Console.COOKIE).getMaxAge(), equalTo(0L));
    }

    @Test
    void anExpiredSessionIsRefused() {
        Console.Session live = Console.signIn(operator);
        Instant issued = Instant.now().minus(sessions.timeout()).minus(Duration.ofMinutes(1));
        Console.Session expired = new Console.Session(sessions.codec().seal(operator, issued), live.csrf());
        Console.Session fresh = new Console.Session(sessions.codec().seal(operator,
                Instant.now().minus(sessions.timeout()).plus(Duration.ofMinutes(1))), live.csrf());

        fresh.get("/console").then().statusCode(200);
        Response refused = expired.get("/console");
        refused.then().statusCode(401);
        assertThat(refused.asString(), containsString("Your session ended"));
    }

    @Test
    void signingOutEndsTheSessionEvenForACopyOfTheCookie() {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        Console.Session session = Console.signIn(owner.key());
        Console.Session elsewhere = Console.signIn(owner.key());
        Console.Session copy = new Console.Session(session.cookie(), session.csrf());

        Response out = session.post("/console/logout", Map.of());
        out.then().statusCode(303);
        assertThat("the browser's cookie is cleared", out.getCookie(Console.COOKIE), emptyOrNullString());
        Response refused = copy.get("/console/endpoints");
        refused.then().statusCode(401);
        assertThat(refused.asString(), containsString("signed out"));
        copy.post("/console/endpoints/" + hook.id() + "/disable", Map.of()).then().statusCode(401);
        assertThat(status(owner, hook), equalTo("enabled"));
        elsewhere.get("/console/endpoints").then().statusCode(200); // another sign-in of the same key stays
    }

    // --- what the forms act on

    /**
     * An owner with an endpoint that delivers ({@code fine}), a disabled one with a failed delivery ({@code off}),
     * a delivery of {@code fine}, and a replay that waits (its endpoint was disabled before the runner took it).
     */
    private record World(Api.Owner owner, Api.Hook fine, Api.Hook off, Api.Hook paused, String delivery,
            String waiting) {
    }

    /** A list across every owner that nothing narrows shows the last 24 hours, and the page says from when. */
    @Test
    void theDeliveriesPageSaysWhichDefaultWindowItShows() {
        Console.Session session = Console.signIn(operator);
        String everything = session.get("/console/deliveries").then().statusCode(200).extract().asString();
        assertThat(everything, containsString("id=\"default-window\""));
        String from = Instant.now().minus(Duration.ofHours(24)).toString().substring(0, 13); // to the hour
        assertThat(everything, containsString("Showing only the deliveries created in the 24 hours from <time "
                + "datetime=\"" + from));
        assertThat(everything, containsString("to now: choose an owner"));
        assertThat(session.get("/console/deliveries?until=2026-01-02T03:04:05").then().statusCode(200).extract()
                .asString(), containsString("from <time datetime=\"2026-01-01T03:04:05Z\">2026-01-01 03:04:05 UTC"
                + "</time> to <time datetime=\"2026-01-02T03:04:05Z\">"));
        Api.Owner acme = Api.newOwner();
        assertThat(session.get("/console/deliveries?owner=" + acme.name()).then().statusCode(200).extract()
                .asString(), not(containsString("default-window")));
        assertThat(Console.signIn(acme.key()).get("/console/deliveries").then().statusCode(200).extract()
                .asString(), not(containsString("default-window")));
    }

    /**
     * The audit, dead-letter and replay lists filter by time (and replays by state) as their API lists do; a value
     * that is not one is named next to its field, the rest of the form kept; none has a default window, and each
     * says so.
     */
    @Test
    void theAuditDeadLetterAndReplayListsFilterByTimeAndNameAWrongValueOnTheForm() {
        Console.Session session = Console.signIn(operator);
        String hourAgo = Instant.now().minus(Duration.ofHours(1)).toString().substring(0, 19);
        String target = "rpl_" + dev.git.webhooks.common.Ids.random(12);
        Api.as(operator).post("/v2/replays/" + target + "/cancel").then().statusCode(404); // audited, failed
        assertThat(session.get("/console/audit?target=" + target + "&since=" + hourAgo).then().statusCode(200)
                .extract().asString(), containsString("data-label=\"Target\"><span class=\"mono\">" + target));
        String none = session.get("/console/audit?target=" + target + "&until=" + hourAgo).then().statusCode(200)
                .extract().asString();
        assertThat(none, containsString("id=\"no-audit\">No operator action recorded with these filters"));
        assertThat(none, containsString("no default window"));
        Response audit = session.get("/console/audit?action=replay.cancel&target=" + target + "&since=yesterday");
        audit.then().statusCode(400);
        assertThat(audit.asString(), containsString("id=\"audit-filters\""));
        assertThat(audit.asString(), containsString("value=\"yesterday\" aria-invalid=\"true\" "
                + "aria-describedby=\"since-error\""));
        assertThat(audit.asString(), containsString("id=\"since-error\""));
        assertThat(audit.asString(), containsString("<option value=\"replay.cancel\" selected>"));
        assertThat(audit.asString(), containsString("value=\"" + target + "\""));

        String letter = deadLetter(); // refused at 2026-11-25T10:00:00Z, as its headers say
        assertThat(session.get("/console/dead-letters?state=new&since=2026-11-25T09:59&until=2026-11-25T10:01")
                .then().statusCode(200).extract().asString(), containsString("data-letter=\"" + letter + "\""));
        String noLetters = session.get("/console/dead-letters?state=new&since=2026-11-25T10:00:01").then()
                .statusCode(200).extract().asString();
        assertThat(noLetters, not(containsString("data-letter=\"" + letter + "\"")));
        assertThat(noLetters, containsString("no default window"));
        Response letters = session.get("/console/dead-letters?state=new&since=2026-12-01T10:00&until=2026-11-01T00:00");
        letters.then().statusCode(400);
        assertThat(letters.asString(), containsString("id=\"until-error\""));
        assertThat(letters.asString(), containsString("must be after since"));
        assertThat(letters.asString(), containsString("<option value=\"new\" selected>"));
        assertThat(letters.asString(), containsString("value=\"2026-12-01T10:00\""));

        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        String replay = owner.request().body(Map.of("status", "delivered")).post("/v2/webhooks/" + hook.id()
                + "/replay").then().statusCode(202)
                        .extract().as(Json.Doc.class).at("id"); // nothing to copy: completed at once
        String list = "/console/replays?owner=" + owner.name() + "&webhook=" + hook.id();
        assertThat(session.get(list + "&state=completed&since=" + hourAgo).then().statusCode(200).extract()
                .asString(), containsString("data-replay=\"" + replay + "\""));
        for (String other : List.of("&state=pending", "&state=running", "&state=cancelled", "&until=" + hourAgo)) {
            String page = session.get(list + other).then().statusCode(200).extract().asString();
            assertThat(other, page, not(containsString("data-replay=\"" + replay + "\"")));
            assertThat(other, page, containsString("id=\"no-replays\">No replays with these filters"));
        }
        Response replays = session.get(list + "&state=stuck&since=soon");
        replays.then().statusCode(400);
        assertThat(replays.asString(), containsString("id=\"replay-form\""));
        assertThat(replays.asString(), containsString("id=\"state-error\""));
        assertThat(replays.asString(), containsString("id=\"since-error\""));
        assertThat(replays.asString(), containsString("value=\"soon\""));
        assertThat("the endpoint it was narrowed to is kept", replays.asString(),
                containsString("<input type=\"hidden\" name=\"webhook\" value=\"" + hook.id() + "\">"));
    }

    private World world() {
        Api.Owner owner = Api.newOwner();
        Api.Hook fine = Api.hook(owner, aResponse().withStatus(200));
        Api.Hook off = Api.hook(owner, aResponse().withStatus(500));
        Api.Hook spare = Api.hook(owner, aResponse().withStatus(200));
        Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null));
        soon(Duration.ofSeconds(10)).until(() -> Receivers.received(fine.path()).size() == 1
                && Receivers.received(spare.path()).size() == 1 && !Receivers.received(off.path()).isEmpty());
        owner.request().post("/v2/webhooks/" + off.id() + "/disable").then().statusCode(200);
        soon(Duration.ofSeconds(10)).until(() -> "failed".equals(owner.request()
                .get("/v2/webhooks/" + off.id() + "/deliveries").path("data[0].status")));
        String delivery = owner.request().get("/v2/webhooks/" + fine.id() + "/deliveries").path("data[0].id");
        String waiting;
        try (Db.HeldLock runnerPaused = Db.holdLock(Replays.LOCK)) {
            waiting = owner.request().body(Map.of("status", "delivered")).post("/v2/webhooks/" + spare.id()
                    + "/replay").then().statusCode(202).extract().as(Json.Doc.class).at("id");
            owner.request().post("/v2/webhooks/" + spare.id() + "/disable").then().statusCode(200);
        }
        assertThat(replayState(waiting), equalTo("pending"));
        Api.Hook paused = Api.hook(owner, aResponse().withStatus(200));
        owner.request().body(Map.of("active", false)).patch("/v2/webhooks/" + paused.id()).then().statusCode(200);
        return new World(owner, fine, off, paused, delivery, waiting);
    }

    /** Every console form, with what it would change; the replay forms name {@code w}'s owner and endpoint. */
    private List<Form> forms(World w, String letter, Console.Session session) {
        Map<String, String> replay = Map.of("owner", w.owner().name(), "webhook", w.fine().id(), "status",
                "delivered");
        return List.of(
                new Form("/console/endpoints/" + w.fine().id() + "/disable", Map.of(),
                        () -> status(w.owner(), w.fine())),
                new Form("/console/endpoints/" + w.off().id() + "/enable", Map.of(), () -> status(w.owner(), w.off())),
                new Form("/console/endpoints/" + w.off().id() + "/enable-and-replay", Map.of(),
                        () -> List.of(status(w.owner(), w.off()), replays(w.owner().name()).size())),
                new Form("/console/endpoints/" + w.off().id() + "/enable-and-recover", Map.of("since",
                        java.time.Instant.now().minusSeconds(3600).toString()),
                        () -> List.of(status(w.owner(), w.off()), replays(w.owner().name()).size())),
                new Form("/console/endpoints/" + w.fine().id() + "/recover", Map.of("since",
                        java.time.Instant.now().minusSeconds(3600).toString()),
                        () -> replays(w.owner().name()).size()),
                new Form("/console/deliveries/" + w.delivery() + "/redeliver", Map.of(),
                        () -> deliveries(w.owner(), w.fine())),
                new Form("/console/replays/preview", replay, () -> replays(w.owner().name()).size()),
                new Form("/console/replays", replay, () -> replays(w.owner().name()).size()),
                new Form("/console/replays/" + w.waiting() + "/cancel", Map.of(), () -> replayState(w.waiting())),
                new Form("/console/dead-letters/" + letter + "/redrive", Map.of(), () -> letterState(letter)),
                new Form("/console/dead-letters/" + letter + "/discard", Map.of(), () -> letterState(letter)),
                new Form("/console/endpoints", Map.of("url", Receivers.url(Receivers.newPath()), "events", "*",
                        "secret", newSecret()), () -> endpoints(w.owner())),
                new Form("/console/endpoints/" + w.fine().id(), Map.of("url", Receivers.url(Receivers.newPath()),
                        "events", "*", "description", "changed"), () -> endpoint(w.owner(), w.fine()).toString()),
                new Form("/console/endpoints/" + w.fine().id() + "/rotate", Map.of("secret", newSecret(),
                        "grace_period_seconds", "0"), () -> sealedSecret(w.fine())),
                new Form("/console/endpoints/" + w.fine().id() + "/ping", Map.of(), () -> deliveries(w.owner(),
                        w.fine())),
                new Form("/console/endpoints/" + w.fine().id() + "/verify-ownership", Map.of(),
                        () -> String.valueOf(endpoint(w.owner(), w.fine()).get("ownership"))),
                new Form("/console/endpoints/" + w.paused().id() + "/resume", Map.of(),
                        () -> endpoint(w.owner(), w.paused()).get("active")),
                new Form("/console/logout", Map.of(), () -> session.get("/console").statusCode()));
    }

    /** The routes tried, with ids as {@code {id}}. */
    private static TreeSet<String> routes(List<Form> forms) {
        TreeSet<String> routes = new TreeSet<>();
        forms.forEach(f -> routes.add(f.path().replaceAll("/(wh|dlv|rpl|rpb|dlq)_[A-Za-z0-9]+", "/{id}")));
        routes.add("/console/login"); // its own token, tried below
        return routes;
    }

    /** Every {@code @POST} route of the console's page classes, found in its packages' compiled classes. */
    private static TreeSet<String> consolePostRoutes() {
        TreeSet<String> routes = new TreeSet<>();
        java.nio.file.Path classes = java.nio.file.Path.of("target", "classes");
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(
                classes.resolve("dev/git/webhooks/ops/console"))) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> page = Class.forName(name, false, ConsoleHttpTest.class.getClassLoader());
                jakarta.ws.rs.Path base = page.getAnnotation(jakarta.ws.rs.Path.class);
                for (Method method : base == null ? new Method[0] : page.getDeclaredMethods()) {
                    if (method.isAnnotationPresent(POST.class)) {
                        jakarta.ws.rs.Path path = method.getAnnotation(jakarta.ws.rs.Path.class);
                        routes.add(base.value() + (path == null ? "" : path.value()));
                    }
                }
            }
        } catch (java.io.IOException | ClassNotFoundException e) {
            throw new AssertionError("cannot list the console's classes", e);
        }
        assertThat("the console's page classes were found", routes.size(), org.hamcrest.Matchers.greaterThan(5));
        return routes;
    }

    @Test
    void redriveLeadsOnlyForARecordThatCanPassOnceTheCauseIsFixed() {
        Console.Session session = Console.signIn(operator);
        String ours = deadLetter(); // unstorable: the database refused it, a cause on our side
        String marker = Kafka.newEventId();
        Kafka.publishDeadLetter("deploy.success", "invalid_json", "{\"id\": \"" + marker + "\", broken");
        String producers = soon(Duration.ofSeconds(15)).until(() -> letterFor(marker), Optional::isPresent)
                .orElseThrow();

        String page = session.get("/console/dead-letters/" + ours).then().statusCode(200).extract().asString();
        assertThat(page, containsString("class=\"button\" href=\"/console/dead-letters/" + ours + "/redrive\""));
        assertThat(page, containsString("class=\"button secondary\" href=\"/console/dead-letters/" + ours
                + "/discard\""));
        assertThat(page, not(containsString("id=\"producer-error\"")));

        page = session.get("/console/dead-letters/" + producers).then().statusCode(200).extract().asString();
        assertThat("a producer's malformed record: the same bytes would be refused again", page,
                containsString("id=\"producer-error\""));
        assertThat(page, containsString("class=\"button secondary\" href=\"/console/dead-letters/" + producers
                + "/redrive\""));
        assertThat("discard leads", page, containsString("class=\"button\" href=\"/console/dead-letters/"
                + producers + "/discard\""));
    }

    private String deadLetter() {
        String marker = Kafka.newEventId();
        Kafka.publishDeadLetter("deploy.success", "unstorable", Kafka.event("deploy.success", marker,
                "org-" + dev.git.webhooks.common.Ids.random(10), null));
        return soon(Duration.ofSeconds(15)).until(() -> letterFor(marker), Optional::isPresent)
                .orElseThrow();
    }

    private Optional<String> letterFor(String marker) {
        List<Map<String, Object>> letters = Api.as(operator).queryParam("limit", 100).get("/v2/ops/dead-letters")
                .path("data");
        return letters.stream().filter(l -> String.valueOf(((Map<?, ?>) l.get("preview")).get("text"))
                .contains(marker)).map(l -> (String) l.get("id")).findFirst();
    }

    // --- state, read through the API

    private static String status(Api.Owner owner, Api.Hook hook) {
        return owner.request().get("/v2/webhooks/" + hook.id()).then().statusCode(200)
                .extract().as(Json.Doc.class).at("status");
    }

    private static Map<String, Object> endpoint(Api.Owner owner, Api.Hook hook) {
        return owner.request().get("/v2/webhooks/" + hook.id()).then().statusCode(200).extract().path("$");
    }

    private static int endpoints(Api.Owner owner) {
        return owner.request().queryParam("limit", 100).get("/v2/webhooks").<List<?>>path("data").size();
    }

    /** The endpoint's sealed secret as stored: it changes when the secret is rotated. */
    private static Object sealedSecret(Api.Hook hook) {
        return Db.query("select encode(secret_ciphertext, 'hex') as s from webhook_endpoint where id = ?", hook.id())
                .get(0).get("s");
    }

    static String newSecret() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return "whsec_" + java.util.Base64.getEncoder().encodeToString(bytes);
    }

    private static int deliveries(Api.Owner owner, Api.Hook hook) {
        return owner.request().queryParam("limit", 100).get("/v2/webhooks/" + hook.id() + "/deliveries")
                .<List<?>>path("data").size();
    }

    private List<Map<String, Object>> replays(String owner) {
        return Api.as(operator).queryParam("owner", owner).queryParam("limit", 100).get("/v2/replays")
                .then().statusCode(200).extract().as(Json.Doc.class).at("data");
    }

    private String replayState(String replay) {
        return Api.as(operator).get("/v2/replays/" + replay).then().statusCode(200)
                .extract().as(Json.Doc.class).at("state");
    }

    private String letterState(String letter) {
        return Api.as(operator).get("/v2/ops/dead-letters/" + letter).then().statusCode(200)
                .extract().as(Json.Doc.class).at("state");
    }

    /**
     * The newest audit entry of {@code action} on {@code target}: this operator's (named as its key), from the
     * console, succeeded with the status the API would have answered (not the console's redirect) and saying what
     * it did.
     */
    private void audited(String action, String target) {
        Api.as(operator).queryParam("action", action).queryParam("target", target).get("/v2/ops/audit").then()
                .statusCode(200).body(Json.at("data[0].key_id", equalTo(operatorId)))
                .body(Json.at("data[0].action", equalTo(action)))
                .body(Json.at("data[0].key_name", equalTo("console-test")))
                .body(Json.at("data[0].target", equalTo(target))).body(Json.at("data[0].result", equalTo("succeeded")))
                .body(Json.at("data[0].status", org.hamcrest.Matchers.oneOf(200, 202)))
                .body(Json.at("data[0].outcome", org.hamcrest.Matchers.not(emptyOrNullString())))
                .body(Json.at("data[0].method", equalTo("POST")))
                .body(Json.at("data[0].path", startsWith("/console/")));
    }

    /**
     * Waits at most {@code atMost}, trying at once and then every 50 ms. Awaitility's default waits its poll interval
     * of 100 ms before the first try, and most of these conditions hold at the first try.
     */
    private static ConditionFactory soon(Duration atMost) {
        return await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50));
    }
}
