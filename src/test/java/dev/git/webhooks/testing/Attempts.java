package dev.git.webhooks.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The attempt log of an endpoint's deliveries, read through the API as its owner reads it. */
public final class Attempts {

    private Attempts() {
    }

    /** The attempts of the endpoint's newest delivery, once it has at least one. */
    public static List<Map<String, Object>> ofNewestDelivery(Api.Owner owner, String webhookId) {
        await().atMost(Duration.ofSeconds(15)).until(() -> !log(owner, webhookId).isEmpty());
        return log(owner, webhookId);
    }

    /** The attempts of whichever of the endpoint's deliveries (on the first page) was attempted first. */
    public static List<Map<String, Object>> ofAnAttemptedDelivery(Api.Owner owner, String webhookId) {
        String[] attempted = new String[1];
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            List<Map<String, Object>> deliveries = Json.at(owner.request().get("/v2/webhooks/" + webhookId
                    + "/deliveries?limit=100").then().statusCode(200).extract(), "data");
            deliveries.stream().filter(d -> ((Integer) d.get("attempts")) > 0).findFirst()
                    .ifPresent(d -> attempted[0] = (String) d.get("id"));
            return attempted[0] != null;
        });
        return Json.at(owner.request().get("/v2/deliveries/" + attempted[0]).then().statusCode(200).extract(),
                "attempt_log");
    }

    private static List<Map<String, Object>> log(Api.Owner owner, String webhookId) {
        List<String> ids = Json.at(owner.request().get("/v2/webhooks/" + webhookId + "/deliveries").then()
                .statusCode(200).extract(), "data.id");
        if (ids.isEmpty()) {
            return List.of();
        }
        return Json.at(owner.request().get("/v2/deliveries/" + ids.get(0)).then().statusCode(200).extract(),
                "attempt_log");
    }
}
