package dev.git.webhooks.ops.console;

import dev.git.webhooks.ops.OpsViews;
import dev.git.webhooks.ops.Replay;
import dev.git.webhooks.ops.audit.AuditEntry;
import dev.git.webhooks.ops.audit.AuditLog;
import dev.git.webhooks.ops.deadletter.DeadLetterView;
import dev.git.webhooks.ops.deadletter.Preview;
import dev.git.webhooks.ops.health.EndpointLists;
import dev.git.webhooks.ops.health.EndpointStatus;
import dev.git.webhooks.ops.health.words.Ratio;
import dev.git.webhooks.ops.health.Verdict;
import dev.git.webhooks.ops.replay.ReplayControl;
import dev.git.webhooks.ops.replay.ReplayRuns;
import dev.git.webhooks.outbox.ActivityViews;
import dev.git.webhooks.subscription.WebhookEndpoint;
import io.quarkus.qute.TemplateData;

/** The types that console templates read, shared ones included, so that Qute resolves their members. */
@TemplateData(target = EndpointStatus.class)
@TemplateData(target = Verdict.class)
@TemplateData(target = Ratio.class)
@TemplateData(target = EndpointLists.Label.class)
@TemplateData(target = ActivityViews.Activity.class)
@TemplateData(target = ActivityViews.Attempt.class)
@TemplateData(target = ActivityViews.Copies.class)
@TemplateData(target = WebhookEndpoint.class)
@TemplateData(target = OpsViews.DeliveryView.class)
@TemplateData(target = OpsViews.AttemptView.class)
@TemplateData(target = OpsViews.EventView.class)
@TemplateData(target = OpsViews.ReplayView.class)
@TemplateData(target = OpsViews.ReplayView.Filter.class)
@TemplateData(target = Replay.class)
@TemplateData(target = ReplayRuns.Run.class)
@TemplateData(target = DeadLetterView.class)
@TemplateData(target = DeadLetterView.Source.class)
@TemplateData(target = DeadLetterView.Location.class)
@TemplateData(target = DeadLetterView.HeaderView.class)
@TemplateData(target = Preview.class)
@TemplateData(target = AuditEntry.class)
@TemplateData(target = AuditLog.Actor.class)
@TemplateData(target = ReplayControl.Skipped.class)
final class TemplateTypes {

    private TemplateTypes() {
    }
}
