package dev.git.webhooks.ops.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Console;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import dev.git.webhooks.testing.Signing;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A customer's own tasks in the console over plain HTTP: create an endpoint (with the secret it types, which then
 * signs its deliveries and never appears in a page), edit it, ping it, rotate its secret, disable and enable it after
 * pages that say what each affects; a form filled in wrong keeps what was typed and says what to fix; page loads
 * are not drawn from the key's API rate limit; a failing endpoint is called failing, in words.
 */
@QuarkusTest
class ConsoleCustomerTest {

    @Test
    void aCustomerCreatesEditsPingsRotatesDisablesAndEnablesAnEndpoint() {
        Api.Owner owner = Api.newOwner();
        Console.Session session = Console.signIn(owner.key());
        String path = Receivers.answering(aResponse().withStatus(204));
        String secret = ConsoleHttpTest.newSecret();
        session.get("/console/endpoints/new").then().statusCode(200).body(containsString("id=\"endpoint-form\""))
                .body(containsString("id=\"api-only-hint\"")); // OAuth and the client certificate: where to set them

        Response created = session.request().formParam("url", Receivers.url(path))
                .formParam("description", "Orders service").formParam("events", "repo.push", "deploy.failed")
                .formParam("secret", secret).formParam("_csrf", session.csrf()).post("/console/endpoints");
        created.then().statusCode(303);
        String id = created.header("Location").replaceAll(".*/console/endpoints/(wh_[^?]+).*", "$1");
        owner.request().get("/v2/webhooks/" + id).then().statusCode(200)
                .body(Json.at("description", equalTo("Orders service")))
                .body(Json.at("events", equalTo(List.of("repo.push", "deploy.failed"))));
        String page = session.get("/console/endpoints/" + id).then().statusCode(200).extract().asString();
        assertThat(page, containsString("Orders service"));
        assertThat(page, containsString("repo.push, deploy.failed"));
        assertThat("the secret typed is never shown", page, not(containsString(secret.substring(6))));
        assertThat(page, containsString("id=\"endpoint-signatures\">v1 (HMAC-SHA256"));
        assertThat("no public key without v1a", page, not(containsString("endpoint-public-key")));
        assertThat("no ownership check asked for", page, not(containsString("id=\"verify-ownership\"")));

        Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null));
        LoggedRequest first = await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path),
                r -> r.size() == 1).get(0);
        assertThat("signed with the secret typed in", first.getHeader("X-Signature-256"),
                equalTo(Signing.github(secret, first.getBody())));

        assertThat("a number the form cannot read is named", session.post("/console/endpoints/" + id, Map.of("url",
                Receivers.url(path), "events", "*", "max_concurrency", "lots")).asString(),
                containsString("max_concurrency-error"));
        session.post("/console/endpoints/" + id, Map.of("url", Receivers.url(path), "description", "Orders v2",
                "events", "*", "repos", owner.name() + "/api\n" + owner.name() + "/web", "max_concurrency", "3",
                "rate_limit", "20", "ordering", "repo")).then().statusCode(303);
        owner.request().get("/v2/webhooks/" + id).then().body(Json.at("description", equalTo("Orders v2")))
                .body(Json.at("events", equalTo(List.of("*"))))
                .body(Json.at("repos", equalTo(List.of(owner.name() + "/api",
                        owner.name() + "/web"))))
                .body(Json.at("max_concurrency", equalTo(3))).body(Json.at("rate_limit", equalTo(20)))
                .body(Json.at("ordering.key", equalTo("repo")));
        String controls = session.get("/console/endpoints/" + id).asString();
        assertThat(controls, containsString("at most 3 at once, at most 20 a second"));
        assertThat(controls, containsString("one at a time per repo, in the order of the events"));
        assertThat("the edit form shows them as they are", session.get("/console/endpoints/" + id + "/edit")
                .asString(), containsString("name=\"rate_limit\" inputmode=\"numeric\" value=\"20\""));

        String pinged = session.post("/console/endpoints/" + id + "/ping", Map.of()).then().statusCode(303)
                .extract().header("Location");
        assertThat(pinged, containsString("/console/deliveries/dlv_"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path).size() == 2);
        assertThat(Receivers.received(path).get(1).getHeader("X-Webhook-Event"), equalTo("ping"));

        String rotated = ConsoleHttpTest.newSecret();
        assertThat(session.get("/console/endpoints/" + id + "/rotate").asString(), containsString("rotate-form"));
        session.post("/console/endpoints/" + id + "/rotate", Map.of("secret", rotated, "grace_period_seconds",
                "3600")).then().statusCode(303);
        session.post("/console/endpoints/" + id + "/ping", Map.of()).then().statusCode(303);
        LoggedRequest after = await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path),
                r -> r.size() == 3).get(2);
        assertThat("the new secret signs", after.getHeader("X-Signature-256"),
                equalTo(Signing.github(rotated, after.getBody())));
        assertThat("the old one too, during the grace period", after.getHeader("webhook-signature").split(" "),
                org.hamcrest.Matchers.arrayWithSize(2));

        assertThat(session.get("/console/endpoints/" + id + "/disable").asString(),
                containsString("It has no pending delivery."));
        session.post("/console/endpoints/" + id + "/disable", Map.of()).then().statusCode(303);
        owner.request().get("/v2/webhooks/" + id).then().body(Json.at("status", equalTo("disabled")))
                .body(Json.at("disabled_reason", equalTo("owner")));
        assertThat(session.get("/console/endpoints/" + id + "/enable").asString(),
                containsString("there is nothing to replay"));
        session.post("/console/endpoints/" + id + "/enable", Map.of()).then().statusCode(303);
        owner.request().get("/v2/webhooks/" + id).then().body(Json.at("status", equalTo("enabled")));
    }

    /**
     * A pending delivery waiting for its retry (the endpoint asked for 5 s with {@code Retry-After}) is tried now from
     * its page: its next attempt is made at once, long before the time it was due, and no copy is made.
     */
    @Test
    void aPendingDeliveryIsTriedNowFromItsPageWithoutACopy() {
        Api.Owner owner = Api.newOwner();
        String path = Receivers.newPath();
        Receivers.firstThen(path, aResponse().withStatus(503).withHeader("Retry-After", "5"),
                aResponse().withStatus(204));
        String hook = Api.createWebhook(owner, Map.of("url", Receivers.url(path), "events", List.of("*")));
        Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null));
        Json.Doc waiting = await().atMost(Duration.ofSeconds(10)).until(() -> owner.request()
                .get("/v2/webhooks/" + hook + "/deliveries").then().extract().as(Json.Doc.class),
                d -> d.<Integer>at("data[0].attempts") == 1 && "pending".equals(d.at("data[0].status")));
        String delivery = waiting.at("data[0].id");
        // as if its retry were hours away (the tests cap Retry-After at 5 s: a slow host would see it retried anyway)
        await("its retry is queued").atMost(Duration.ofSeconds(10)).until(() -> Db.update(
                "update delivery set next_attempt_at = now() + interval '10 hours' where id = ? and claim is null "
                + "and next_attempt_at is not null", delivery) == 1);
        java.time.Instant due = java.time.Instant.parse(owner.request().get("/v2/deliveries/" + delivery)
                .path("next_attempt_at"));
        Console.Session session = Console.signIn(owner.key());
        assertThat(session.get("/console/deliveries/" + delivery).then().statusCode(200).extract().asString(),
                containsString("id=\"try-now\""));
        session.post("/console/deliveries/" + delivery + "/redeliver", Map.of()).then().statusCode(303)
                .header("Location", containsString("/console/deliveries/" + delivery + "?notice=tried-now"));
        LoggedRequest second = await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path),
                r -> r.size() == 2).get(1);
        assertThat("tried long before it was due (" + due + ")", second.getLoggedDate().toInstant()
                .isBefore(due.minus(Duration.ofHours(9))), equalTo(true));
        await().atMost(Duration.ofSeconds(5)).until(() -> "delivered".equals(owner.request()
                .get("/v2/deliveries/" + delivery).path("status")));
        owner.request().get("/v2/webhooks/" + hook + "/deliveries").then().body(Json.at("data", hasSize(1)));
    }

    /**
     * The disable confirmation counts what a disable fails (three deliveries pending, each waiting 5 s for a retry the
     * endpoint asked for), the button says so, and the three are failed, as the notice after it says.
     */
    @Test
    void disablingAnEndpointWithPendingDeliveriesSaysHowManyFailAndFailsThem() {
        Api.Owner owner = Api.newOwner();
        String path = Receivers.answering(aResponse().withStatus(503).withHeader("Retry-After", "5"));
        String hook = Api.createWebhook(owner, Map.of("url", Receivers.url(path), "events", List.of("*")));
        for (int i = 0; i < 3; i++) {
            Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path).size() >= 3);
        Console.Session session = Console.signIn(owner.key());
        String confirm = session.get("/console/endpoints/" + hook + "/disable").then().statusCode(200).extract()
                .asString();
        assertThat(confirm, containsString("Its <b>3</b> pending deliveries fail now"));
        assertThat(confirm, containsString("Disable and fail 3 deliveries"));
        String location = session.post("/console/endpoints/" + hook + "/disable", Map.of()).then().statusCode(303)
                .extract().header("Location");
        assertThat(location, containsString("notice=disabled:3"));
        owner.request().queryParam("status", "failed").get("/v2/webhooks/" + hook + "/deliveries").then()
                .body(Json.at("data", hasSize(3)));
        assertThat(session.get(location.replaceAll("^https?://[^/]+", "")).then().statusCode(200).extract()
                .asString(), containsString("3 pending deliveries failed and can be replayed"));
    }

    /**
     * SPEC §12: the headers and the filter are set in the console too. The secret header's value is never shown
     * again; an edit leaves the headers alone unless asked to replace them; the filter skips what does not match.
     */
    @Test
    void aCustomerSetsHeadersAndAFilterInTheConsole() {
        Api.Owner owner = Api.newOwner();
        Console.Session session = Console.signIn(owner.key());
        String path = Receivers.answering(aResponse().withStatus(204));
        String filter = "{\"match\":[{\"pointer\":\"/data/environment\",\"values\":[\"production\"]}]}";
        String token = "Bearer s3cr3t-" + dev.git.webhooks.common.Ids.random(8);
        Response created = session.request().formParam("url", Receivers.url(path)).formParam("events", "*")
                .formParam("headers", "X-Tenant: acme-prod\n\n").formParam("secret_headers", "Authorization: " + token)
                .formParam("filter", filter).formParam("secret", ConsoleHttpTest.newSecret())
                .formParam("_csrf", session.csrf()).post("/console/endpoints");
        created.then().statusCode(303);
        String id = created.header("Location").replaceAll(".*/console/endpoints/(wh_[^?]+).*", "$1");
        owner.request().get("/v2/webhooks/" + id).then()
                .body(Json.at("headers.name", equalTo(List.of("X-Tenant", "Authorization"))))
                .body(Json.at("headers[0].value", equalTo("acme-prod")))
                .body(Json.at("headers[1].value", equalTo(null)))
                .body(Json.at("filter.match[0].values", equalTo(List.of("production"))));

        String staging = Kafka.newEventId();
        String production = Kafka.newEventId();
        for (String[] event : List.of(new String[] {staging, "staging"}, new String[] {production, "production"})) {
            Kafka.publish("repo.push", owner.name(), "{\"event\":\"repo.push\",\"id\":\"" + event[0] + "\","
                    + "\"timestamp\":\"2025-01-20T14:35:22Z\",\"owner\":\"" + owner.name() + "\",\"data\":"
                    + "{\"environment\":\"" + event[1] + "\"}}");
        }
        LoggedRequest delivered = await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path),
                r -> r.size() == 1).get(0);
        assertThat("the filter let the production event through", delivered.getHeader("webhook-id"),
                equalTo(production));
        assertThat(delivered.getHeader("X-Tenant"), equalTo("acme-prod"));
        assertThat(delivered.getHeader("Authorization"), equalTo(token));
        assertThat("the staging event was skipped, not merely later", Db.query(
                "select id from delivery where event_id = ?", staging), hasSize(0));

        String edit = session.get("/console/endpoints/" + id + "/edit").asString();
        assertThat(edit, containsString(">X-Tenant: acme-prod</textarea>"));
        assertThat("the secret header is named", edit, containsString("<code>Authorization</code>"));
        assertThat("its value is never shown", edit, not(containsString(token)));
        Map<String, String> fields = new java.util.HashMap<>(Map.of("url", Receivers.url(path), "events", "*",
                "headers", "X-Tenant: typed-but-not-replaced", "filter", filter));
        session.post("/console/endpoints/" + id, fields).then().statusCode(303);
        owner.request().get("/v2/webhooks/" + id).then().body(Json.at("headers.name", equalTo(List.of("X-Tenant",
                "Authorization")))).body(Json.at("headers[0].value", equalTo("acme-prod")));

        fields.put("replace_headers", "true");
        fields.put("headers", "no colon here");
        fields.put("secret_headers", "Authorization: " + token);
        String refused = session.post("/console/endpoints/" + id, fields).asString();
        assertThat(refused, containsString("id=\"headers-error\""));
        assertThat("a secret typed is not shown again with the problems", refused, not(containsString(token)));
        assertThat("the endpoint's secret headers are still named", refused,
                containsString("<code>Authorization</code>"));
        fields.put("headers", "X-Tenant: beta");
        fields.put("secret_headers", token); // a line without a colon: refused without being quoted
        refused = session.post("/console/endpoints/" + id, fields).asString();
        assertThat(refused, containsString("id=\"secret_headers-error\""));
        assertThat(refused, not(containsString(token)));
        fields.remove("secret_headers");

        fields.put("replace_headers", "true");
        fields.put("headers", "X-Tenant: beta");
        fields.put("filter", "");
        session.post("/console/endpoints/" + id, fields).then().statusCode(303);
        owner.request().get("/v2/webhooks/" + id).then().body(Json.at("headers.name", equalTo(List.of("X-Tenant"))))
                .body(Json.at("headers[0].value", equalTo("beta"))).body(Json.at("filter", equalTo(null)));

        fields.put("filter", "{\"repo\":[\"" + owner.name() + "/api\"]} {\"match\":[]}");
        assertThat("trailing JSON is refused, as by the API", session.post("/console/endpoints/" + id, fields)
                .asString(), containsString("id=\"filter-error\""));
        fields.put("filter", "");
        fields.put("headers", "Webhook-Id: mine");
        assertThat("a reserved name is the service's to refuse, on the headers' field", session.post(
                "/console/endpoints/" + id, fields).asString(), containsString("id=\"headers-error\""));
        fields.put("headers", "X-Tenant: beta");
        fields.put("filter", "{not json");
        assertThat(session.post("/console/endpoints/" + id, fields).asString(), containsString("id=\"filter-error\""));
        fields.put("filter", "{\"repo\":[\"someone-else/api\"]}");
        assertThat(session.post("/console/endpoints/" + id, fields).asString(),
                containsString("id=\"filter.repo-error\""));
    }

    @Test
    void aCustomerFindsDeliveriesByDeliveryIdEventIdEndpointIdOrUrl() {
        Api.Owner owner = Api.newOwner();
        Api.Hook first = Api.hook(owner, aResponse().withStatus(200));
        Api.Hook second = Api.hook(owner, aResponse().withStatus(200));
        String event = Kafka.newEventId();
        String other = Kafka.newEventId();
        Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", event, owner.name(), null));
        Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", other, owner.name(), null));
        await().atMost(Duration.ofSeconds(15)).until(() -> Receivers.received(first.path()).size() == 2
                && Receivers.received(second.path()).size() == 2);
        List<Map<String, Object>> ofFirst = owner.request().get("/v2/webhooks/" + first.id() + "/deliveries")
                .then().statusCode(200).extract().as(Json.Doc.class).at("data");
        String delivery = ofFirst.stream().filter(d -> event.equals(d.get("event_id"))).map(d -> (String) d.get("id"))
                .findFirst().orElseThrow();
        Console.Session session = Console.signIn(owner.key());

        session.request().redirects().follow(false).get("/console/deliveries?q=" + delivery).then().statusCode(303)
                .header("Location", containsString("/console/deliveries/" + delivery));
        assertThat("by event id: its delivery to each endpoint, no other event's",
                shownDeliveries(session, event), hasSize(2));
        assertThat(shownDeliveries(session, first.id()), hasSize(2));
        assertThat("by endpoint id: only that endpoint's", shownDeliveries(session, first.id()), equalTo(
                ofFirst.stream().map(d -> (String) d.get("id")).sorted().toList()));
        assertThat("by URL: the endpoint's", shownDeliveries(session, Receivers.url(second.path())),
                equalTo(shownDeliveries(session, second.id())));
        assertThat(shownDeliveries(session, Receivers.url(second.path())), hasSize(2));
        String word = second.path().substring("/hooks/".length()); // no slash, no dot: a part of the URL all the same
        assertThat("by a word of the URL", shownDeliveries(session, word), equalTo(shownDeliveries(session,
                second.id())));
    }

    /** The ids of the deliveries that the console's search for {@code q} lists, sorted. */
    private static List<String> shownDeliveries(Console.Session session, String q) {
        String page = session.request().queryParam("q", q).get("/console/deliveries").then().statusCode(200)
                .extract().asString();
        List<String> ids = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<tr data-delivery=\"(dlv_[^\"]+)\"")
                .matcher(page);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids.stream().sorted().toList();
    }

    @Test
    void aCustomerChoosesTheSignaturesAndTheOwnershipCheckAndSendsTheChallengeAgain() {
        Api.Owner owner = Api.newOwner();
        Console.Session session = Console.signIn(owner.key());
        String path = Receivers.answering(aResponse().withStatus(204)); // 204 to the challenge: the check fails
        Response created = session.request().formParam("url", Receivers.url(path)).formParam("events", "*")
                .formParam("signature_schemes", "v1,v1a").formParam("verify_ownership", "false", "true")
                .formParam("secret", ConsoleHttpTest.newSecret()).formParam("_csrf", session.csrf())
                .post("/console/endpoints");
        created.then().statusCode(303);
        assertThat(created.header("Location"), containsString("notice=created-checking"));
        String id = created.header("Location").replaceAll(".*/console/endpoints/(wh_[^?]+).*", "$1");
        Response api = owner.request().get("/v2/webhooks/" + id);
        api.then().body(Json.at("signature_schemes", equalTo(List.of("v1", "v1a"))))
                .body(Json.at("verify_ownership", equalTo(true)));
        String publicKey = Json.at(api, "public_key");
        assertThat(publicKey, matchesPattern("whpk_[A-Za-z0-9+/]{43}="));

        String page = session.get("/console/endpoints/" + id + "?notice=created-checking").then().statusCode(200)
                .extract().asString();
        assertThat(page, containsString("A signed challenge is on its way to it"));
        assertThat(page, org.hamcrest.Matchers.anyOf(containsString("id=\"ownership-state\">pending</span>"),
                containsString("id=\"ownership-state\">failed</span>"))); // the check may have ended already
        assertThat(page, containsString("id=\"endpoint-signatures\">v1 (HMAC-SHA256 with the signing secret, and "
                + "X-Signature-256) and v1a (Ed25519)</dd>"));
        assertThat(page, containsString("<code class=\"mono wrap\">" + publicKey + "</code>"));
        assertThat(page, containsString("docs/verifying-webhooks.md"));
        assertThat(page, containsString("id=\"verify-ownership\""));
        assertThat(session.get("/console/endpoints/" + id + "/edit").asString(), org.hamcrest.Matchers.allOf(
                containsString("<option value=\"v1,v1a\" selected>"),
                containsString("name=\"verify_ownership\" type=\"checkbox\" value=\"true\" checked")));

        // (at least one: a failed check is tried again by itself 2 s later in the tests)
        await().atMost(Duration.ofSeconds(10)).until(() -> challenges(path) >= 1);
        // the 204 fails the check: the page says so, with why, and that nothing is sent meanwhile
        await().atMost(Duration.ofSeconds(10)).until(() -> "failed".equals(owner.request().get("/v2/webhooks/" + id)
                .path("ownership.state")));
        String failed = session.get("/console/endpoints/" + id).then().statusCode(200).extract().asString();
        assertThat(failed, containsString("id=\"ownership-state\">failed</span>"));
        assertThat(failed, org.hamcrest.Matchers.matchesPattern("(?s).*<span id=\"ownership-error\">[^<]+</span>; "
                + "nothing is sent to it until it answers the challenge.*"));
        assertThat("no Enable… that the check would refuse", failed, not(containsString("id=\"enable\"")));
        assertThat(failed, containsString("id=\"enabled-once-verified\""));
        long before = challenges(path);
        Response again = session.post("/console/endpoints/" + id + "/verify-ownership", Map.of());
        again.then().statusCode(303);
        assertThat(again.header("Location"), containsString("notice=checking-ownership"));
        await().atMost(Duration.ofSeconds(10)).until(() -> challenges(path) > before);

        Response refused = session.request().formParam("url", Receivers.url(path)).formParam("events", "*")
                .formParam("description", "Kept as typed").formParam("signature_schemes", "v2")
                .formParam("_csrf", session.csrf()).post("/console/endpoints/" + id);
        refused.then().statusCode(400);
        assertThat(refused.asString(), containsString("id=\"signature_schemes-error\""));
        assertThat(refused.asString(), containsString("value=\"Kept as typed\""));
        owner.request().get("/v2/webhooks/" + id).then()
                .body(Json.at("signature_schemes", equalTo(List.of("v1", "v1a"))));

        session.request().formParam("url", Receivers.url(path)).formParam("events", "*")
                .formParam("signature_schemes", "v1a").formParam("verify_ownership", "false")
                .formParam("_csrf", session.csrf()).post("/console/endpoints/" + id).then().statusCode(303);
        owner.request().get("/v2/webhooks/" + id).then().body(Json.at("signature_schemes", equalTo(List.of("v1a"))))
                .body(Json.at("public_key", equalTo(publicKey))).body(Json.at("verify_ownership", equalTo(false)))
                .body(Json.at("status", equalTo("enabled")));
        String after = session.get("/console/endpoints/" + id).asString();
        assertThat(after, containsString("id=\"endpoint-signatures\">v1a (Ed25519)</dd>"));
        assertThat(after, not(containsString("id=\"verify-ownership\"")));
        session.post("/console/endpoints/" + id + "/verify-ownership", Map.of()).then().statusCode(409);
    }

    private static long challenges(String path) {
        return Receivers.received(path).stream().filter(r -> r.getBodyAsString().contains("webhook.verification"))
                .count();
    }

    @Test
    void aFormFilledInWrongKeepsWhatWasTypedAndSaysWhatToFixWithoutShowingTheSecret() {
        Api.Owner owner = Api.newOwner();
        Console.Session session = Console.signIn(owner.key());
        String notASecret = "whsec_not-base64-" + Kafka.newEventId();
        Response refused = session.request().formParam("url", "ftp://example.com/hook")
                .formParam("description", "Typed <b>here</b>").formParam("secret", notASecret)
                .formParam("_csrf", session.csrf()).post("/console/endpoints");
        refused.then().statusCode(400);
        String page = refused.asString();
        assertThat(page, containsString("id=\"endpoint-form\""));
        assertThat("what was typed stays", page, containsString("value=\"Typed &lt;b&gt;here&lt;/b&gt;\""));
        assertThat(page, containsString("value=\"ftp://example.com/hook\""));
        for (String field : List.of("url", "events", "secret")) {
            assertThat(field, page, containsString("id=\"" + field + "-error\""));
            assertThat(field, page, containsString("aria-describedby=\"" + field + "-error\""));
        }
        assertThat("the secret typed is not put back", page, not(containsString(notASecret)));
        owner.request().get("/v2/webhooks").then().body(Json.at("data", hasSize(0)));

        Response filters = session.request().queryParam("since", "yesterday").queryParam("status", "failed")
                .get("/console/deliveries");
        filters.then().statusCode(400);
        assertThat(filters.asString(), containsString("id=\"delivery-filters\""));
        assertThat(filters.asString(), containsString("value=\"yesterday\""));
        assertThat(filters.asString(), containsString("id=\"since-error\""));
        assertThat(filters.asString(), containsString("<option value=\"failed\" selected>"));
        Response replay = session.post("/console/replays/preview", Map.of("status", "failed", "since", "soon"));
        replay.then().statusCode(400);
        assertThat(replay.asString(), containsString("id=\"replay-form\""));
        assertThat(replay.asString(), containsString("value=\"soon\""));
        assertThat(replay.asString(), containsString("id=\"since-error\""));

        String others = Api.createWebhook(Api.newOwner(), Map.of("url", Receivers.url(Receivers.newPath()),
                "events", List.of("*")));
        assertThat("another owner's endpoint is not found, whatever the form's problems",
                session.post("/console/endpoints/" + others + "/rotate", Map.of("secret", " ")).statusCode(),
                equalTo(404));
        assertThat(session.post("/console/endpoints/" + others, Map.of("url", Receivers.url(Receivers.newPath()),
                "events", "*", "filter", "{not json")).statusCode(), equalTo(404));
    }

    @Test
    void theEventTypesPagesShowTheCatalogWithEachTypesExampleAndSchema() {
        Api.Owner owner = Api.newOwner();
        Console.Session session = Console.signIn(owner.key());
        List<String> catalog = owner.request().queryParam("limit", 100).get("/v2/event-types").then().statusCode(200)
                .extract().as(Json.Doc.class).at("data.name");
        String list = session.get("/console/event-types").then().statusCode(200).extract().asString();
        List<String> listed = new ArrayList<>();
        java.util.regex.Matcher rows = java.util.regex.Pattern.compile("<tr data-type=\"([^\"]+)\"").matcher(list);
        while (rows.find()) {
            listed.add(rows.group(1));
        }
        assertThat("every type of the catalog, in its order", listed, equalTo(catalog));
        assertThat("the form links to the page", session.get("/console/endpoints/new").then().statusCode(200)
                .extract().asString(), containsString("id=\"event-types-link\" href=\"/console/event-types\""));

        Map<String, Object> failed = owner.request().get("/v2/event-types/deploy.failed").then().statusCode(200)
                .extract().path("");
        String page = session.get("/console/event-types/deploy.failed").then().statusCode(200).extract().asString();
        assertThat(page, containsString((String) failed.get("description")));
        assertThat("the example, as delivered", page, containsString("&quot;event&quot; : &quot;deploy.failed&quot;"));
        assertThat("the schema of its data", page, containsString("&quot;required&quot;"));
        assertThat(session.get("/console/event-types/deploy.exploded").then().statusCode(404).extract().asString(),
                containsString("no event type"));
    }

    @Test
    void consolePageLoadsAreNotDrawnFromTheKeysApiRateLimit() {
        String owner = "org-" + dev.git.webhooks.common.Ids.random(10);
        String free = Api.newKey(owner, Api.ALL_SCOPES, "free"); // 60 API requests a minute
        Console.Session session = Console.signIn(free);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            statuses.add(session.get(i % 2 == 0 ? "/console" : "/console/replays").statusCode());
        }
        assertThat(statuses, everyItem(equalTo(200)));
        assertThat("console use still marks the key as used", Api.admin().queryParam("owner", owner)
                .get("/v2/api-keys").path("data[0].last_used_at"), org.hamcrest.Matchers.notNullValue());
        Response api = Api.as(free).get("/v2/webhooks");
        api.then().statusCode(200);
        assertThat("the API limit is untouched by the console", Integer.parseInt(api.header("X-RateLimit-Remaining")),
                org.hamcrest.Matchers.greaterThanOrEqualTo(58));
    }

    @Test
    void anEndpointThatRefusesConnectionsIsCalledFailingInWords() {
        Api.Owner owner = Api.newOwner();
        // nothing listens on port 1: every attempt is refused
        String id = Api.createWebhook(owner, Map.of("url", "http://127.0.0.1:1/hook", "events", List.of("*"),
                "description", "Closed port"));
        for (int i = 0; i < 3; i++) {
            Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> owner.request().get("/v2/webhooks/" + id + "/deliveries")
                .<List<Integer>>path("data.attempts").stream().filter(a -> a > 0).count() == 3);
        Console.Session session = Console.signIn(owner.key());
        String page = session.get("/console/endpoints/" + id).then().statusCode(200).extract().asString();
        assertThat(page, containsString("badge failing"));
        assertThat(page, containsString("refused the connection"));
        assertThat(page, matchesPattern("(?s).*id=\"endpoint-ratio\">0 % \\(0 of \\d+\\)<.*"));
        String failing = session.get("/console/endpoints?state=failing").asString();
        assertThat(failing, containsString("data-webhook=\"" + id + "\""));
        assertThat("a failing endpoint is badged failing, whatever its status", failing, containsString("badge failing"));
        assertThat(given().get("/console/assets/favicon.svg").statusCode(), equalTo(200));
    }

    /** A failed delivery of an endpoint that keeps failing says, before it is redelivered, that the copy will wait. */
    @Test
    void aRedeliveryOfferedBehindRepeatedFailuresSaysItWillWait() {
        Api.Owner owner = Api.newOwner();
        String id = Api.createWebhook(owner, Map.of("url", "http://127.0.0.1:1/hook", "events", List.of("*")));
        for (int i = 0; i < 6; i++) { // 4 attempts each: the breaker's 20 attempts, every one refused
            Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null));
        }
        String failed = await().atMost(Duration.ofSeconds(20)).until(() -> owner.request().queryParam("status",
                "failed").get("/v2/webhooks/" + id + "/deliveries").<List<String>>path("data.id"), l -> !l.isEmpty())
                .get(0);
        Console.Session session = Console.signIn(owner.key());
        String page = await().atMost(Duration.ofSeconds(20)).until(() -> session.get("/console/deliveries/" + failed)
                .asString(), p -> p.contains("id=\"redeliver-waits\""));
        assertThat(page, containsString("id=\"redeliver\""));
        assertThat("in the customer's words", page, not(containsString("breaker")));
    }
}
