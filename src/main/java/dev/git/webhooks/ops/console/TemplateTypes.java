package dev.git.webhooks.ops.console;

import dev.git.webhooks.ops.OpsViews;
import dev.git.webhooks.ops.audit.AuditEntry;
import dev.git.webhooks.ops.deadletter.DeadLetterView;
import dev.git.webhooks.ops.deadletter.Preview;
import dev.git.webhooks.ops.health.EndpointHealth;
import dev.git.webhooks.ops.replay.ReplayControl;
import io.quarkus.qute.TemplateData;

/** The types that console templates read, shared ones included, so that Qute resolves their members. */
@TemplateData(target = EndpointHealth.class)
@TemplateData(target = OpsViews.DeliveryView.class)
@TemplateData(target = OpsViews.AttemptView.class)
@TemplateData(target = OpsViews.EventView.class)
@TemplateData(target = OpsViews.ReplayView.class)
@TemplateData(target = OpsViews.ReplayView.Filter.class)
@TemplateData(target = DeadLetterView.class)
@TemplateData(target = DeadLetterView.Source.class)
@TemplateData(target = DeadLetterView.Location.class)
@TemplateData(target = DeadLetterView.HeaderView.class)
@TemplateData(target = Preview.class)
@TemplateData(target = AuditEntry.class)
@TemplateData(target = ReplayControl.Skipped.class)
final class TemplateTypes {

    private TemplateTypes() {
    }
}
