package dev.git.webhooks.api.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Json;
import io.restassured.response.Response;

/**
 * Real resources for the fuzz to aim at, so that hostile requests reach the code behind a found id too: owners
 * with enterprise keys (several, to spread the rate limit), a webhook each, a delivery and an event from a ping, a
 * replay, and API keys of their own for the admin routes to revoke.
 */
record Fixtures(List<Api.Owner> owners, Map<String, List<String>> ids) {

    static Fixtures create(int owners) {
        List<Api.Owner> all = new ArrayList<>();
        Map<String, List<String>> ids = Map.of("wh", new ArrayList<>(), "dlv", new ArrayList<>(),
                "evt", new ArrayList<>(), "rpl", new ArrayList<>(), "key", new ArrayList<>());
        for (int i = 0; i < owners; i++) {
            Api.Owner owner = Api.newOwner();
            all.add(owner);
            String webhook = Api.createWebhook(owner, Map.of("url", "http://127.0.0.1:9/fuzz", "events",
                    List.of("*")));
            ids.get("wh").add(webhook);
            Response ping = owner.request().post("/v2/webhooks/" + webhook + "/ping").then().statusCode(202)
                    .extract().response();
            ids.get("dlv").add(Json.at(ping, "delivery_id"));
            ids.get("evt").add(Json.at(ping, "event_id"));
            ids.get("rpl").add(owner.request().body(Map.of("dry_run", true)).post("/v2/webhooks/" + webhook
                    + "/replay").then().statusCode(202).extract().as(Json.Doc.class).at("id"));
            ids.get("key").add(Api.admin().body(Map.of("owner", owner.name(), "scopes", List.of("webhooks:read")))
                    .post("/v2/api-keys").then().statusCode(201).extract().as(Json.Doc.class).at("id"));
        }
        return new Fixtures(List.copyOf(all), ids);
    }

    Api.Owner owner(Random random) {
        return owners.get(random.nextInt(owners.size()));
    }

    /** A real id for the resource a path template names ({@code /v2/deliveries/{id}} → a {@code dlv_} id). */
    String realId(String template, Random random) {
        if (template.startsWith("/v2/event-types")) {
            return Hostile.pick(random, List.of("repo.push", "deploy.success", "deploy.failed", "pr.merged"));
        }
        String kind = template.startsWith("/v2/deliveries") ? "dlv" : template.startsWith("/v2/events") ? "evt"
                : template.startsWith("/v2/replays") ? "rpl" : template.startsWith("/v2/api-keys") ? "key" : "wh";
        return Hostile.pick(random, ids.get(kind));
    }
}
