package dev.git.webhooks.operational;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.outbox.OutboxViews;
import dev.git.webhooks.subscription.EventTypes;

/**
 * Builds the notices of the three system types from the rows they speak of, read on the caller's connection.
 * {@code delivery.exhausted} is never made about the delivery of a system event (a failing notification endpoint
 * would otherwise notify about itself forever), and its id derives from the delivery's, so that it is made once.
 */
final class Notices {

    private Notices() {
    }

    static List<SystemEvents.Notice> endpointsChanged(Connection connection, Collection<String> endpointIds,
            String type) throws SQLException {
        List<SystemEvents.Notice> notices = new ArrayList<>();
        if (endpointIds.isEmpty()) {
            return notices;
        }
        try (PreparedStatement select = connection.prepareStatement("""
                select id, owner, url, status, disabled_reason, active from webhook_endpoint where id = any (?)""")) {
            select.setArray(1, connection.createArrayOf("text", endpointIds.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("webhook_id", rows.getString(1));
                    data.put("url", rows.getString(3));
                    data.put("status", rows.getString(4));
                    if (EventTypes.ENDPOINT_DISABLED.equals(type)) {
                        data.put("reason", rows.getString(5));
                    }
                    notices.add(new SystemEvents.Notice(Ids.newId("evt"), type, rows.getString(2), data));
                }
            }
        }
        return notices;
    }

    static List<SystemEvents.Notice> exhausted(Connection connection, List<String> deliveryIds) throws SQLException {
        List<SystemEvents.Notice> notices = new ArrayList<>();
        for (OutboxViews.Failed d : OutboxViews.failed(connection, deliveryIds, EventTypes.SYSTEM)) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("delivery_id", d.id());
            data.put("webhook_id", d.endpointId());
            data.put("event_id", d.eventId());
            data.put("event_type", d.eventType());
            data.put("attempts", d.attempts());
            data.put("last_status", d.lastStatus());
            data.put("last_error", d.lastError());
            data.put("failed_at", d.failedAt() == null ? null : d.failedAt().toString());
            notices.add(new SystemEvents.Notice("evt_exhausted_" + d.id(), EventTypes.DELIVERY_EXHAUSTED, d.owner(),
                    data));
        }
        return notices;
    }
}
