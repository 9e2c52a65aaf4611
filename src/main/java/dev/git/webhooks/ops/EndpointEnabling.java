package dev.git.webhooks.ops;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.git.webhooks.ops.OpsViews.ReplayView;
import dev.git.webhooks.subscription.WebhookEndpoint;
import dev.git.webhooks.subscription.WebhookEndpoints;
import dev.git.webhooks.subscription.WebhookView;

/** Enables an endpoint and, in the same transaction, starts the replay of its failed deliveries. */
@ApplicationScoped
public class EndpointEnabling {

    private final WebhookEndpoints endpoints;
    private final Replays replays;

    public EndpointEnabling(WebhookEndpoints endpoints, Replays replays) {
        this.endpoints = endpoints;
        this.replays = replays;
    }

    @Transactional
    public EnableResource.Enabled enable(String owner, String id, boolean replayFailed) {
        WebhookEndpoint endpoint = endpoints.enable(owner, id);
        ReplayView replay = null;
        if (replayFailed && endpoint.active) {
            replay = ReplayView.of(replays.create(owner, id, new DeliveryFilter(Delivery.FAILED, List.of(), null, null),
                    false));
        }
        return new EnableResource.Enabled(WebhookView.of(endpoint), replay);
    }
}
