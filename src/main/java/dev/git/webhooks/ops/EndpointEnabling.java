package dev.git.webhooks.ops;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.git.webhooks.common.Refusal;
import dev.git.webhooks.operational.EndpointNotices;
import dev.git.webhooks.ops.OpsViews.ReplayView;
import dev.git.webhooks.outbox.DeliveryStatus;
import dev.git.webhooks.subscription.WebhookEndpoint;
import dev.git.webhooks.subscription.WebhookEndpoints;
import dev.git.webhooks.subscription.WebhookView;

/**
 * Enables an endpoint and, in the same transaction, starts the replay of its failed deliveries; disables one. Each
 * change stores its operational notification ({@code endpoint.enabled}, {@code endpoint.disabled}) in the same
 * transaction.
 */
@ApplicationScoped
public class EndpointEnabling {

    private final WebhookEndpoints endpoints;
    private final Replays replays;
    private final EndpointNotices notices;
    private final java.time.Clock clock;

    public EndpointEnabling(WebhookEndpoints endpoints, Replays replays, EndpointNotices notices,
            java.time.Clock clock) {
        this.clock = clock;
        this.endpoints = endpoints;
        this.replays = replays;
        this.notices = notices;
    }

    /** Stops deliveries to the endpoint ({@code disabled}, with the reason given); its pending deliveries fail. */
    @Transactional
    public WebhookEndpoints.Disabled disable(String owner, String id, String reason) {
        return endpoints.disable(owner, id, reason); // endpoint.disabled: stored by an observer of the stop
    }

    /**
     * Enables the endpoint and, if asked, starts a replay of its failures or a recover; refused as a whole (409,
     * nothing changed) when a replay or recover is asked of an inactive endpoint, to which it would send nothing.
     */
    @Transactional
    public EnableResource.Enabled enable(String owner, String id, boolean replayFailed, Instant recoverSince) {
        WebhookEndpoint before = endpoints.lockedForChange(owner, id); // a disable committed meanwhile is seen
        if ((replayFailed || recoverSince != null) && !before.active) {
            throw Refusal.conflict("The webhook is inactive (active false): a replay or recover would send it "
                    + "nothing. Set active to true first (PATCH /v2/webhooks/" + id + "), or enable it without "
                    + "replay_failed and recover_since.");
        }
        boolean change = !WebhookEndpoint.ENABLED.equals(before.status);
        WebhookEndpoint endpoint = endpoints.enable(owner, id);
        if (change) {
            notices.enabled(id);
        }
        ReplayView replay = null;
        if (recoverSince != null) { // its failed deliveries are part of the recover
            replay = ReplayView.of(replays.recover(owner, id, recoverSince, clock.instant()));
        } else if (replayFailed) {
            replay = ReplayView.of(replays.create(owner, id,
                    new DeliveryFilter(DeliveryStatus.FAILED.value(), List.of(), null, null), false));
        }
        return new EnableResource.Enabled(WebhookView.of(endpoint), replay);
    }
}
