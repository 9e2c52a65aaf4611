package dev.git.webhooks.ops.console.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.git.webhooks.ops.console.text.FormTimes;
import dev.git.webhooks.ops.console.text.Links;
import dev.git.webhooks.subscription.EventTypes;
import io.quarkus.qute.TemplateData;

/**
 * The deliveries filter as typed, to fill the form again (with or without problems) and to carry it to the next page.
 * Times come from a preset ({@code range}: the last hour, day, week, 30 days) or from date-time fields read as UTC
 * ({@link FormTimes}).
 */
@TemplateData
public record DeliveryFilterForm(String q, String owner, String endpoint, String event, String status,
        String errorClass, String range, String since, String until) {

    /** The presets offered, by value: how far back from now. */
    static final Map<String, Duration> RANGES = Map.of("1h", Duration.ofHours(1), "24h", Duration.ofHours(24),
            "7d", Duration.ofDays(7), "30d", Duration.ofDays(30));
    /** The error classes offered (any other can still be typed into the query string). */
    public static final List<String> ERROR_CLASSES = List.of("timeout", "connect_timeout", "connection_refused",
            "connection_closed", "dns_failure", "tls_error", "auth", "redirect", "destination_refused", "proxy",
            "http_4xx", "http_429", "http_5xx", "http_503", "endpoint_disabled", "endpoint_inactive");

    public List<String> eventTypes() {
        List<String> types = new java.util.ArrayList<>(EventTypes.ALL);
        types.addAll(EventTypes.SYSTEM);
        types.add(EventTypes.PING);
        return types;
    }

    public List<String> errorClasses() {
        return ERROR_CLASSES;
    }

    /** The start as the search reads it: typed (as UTC when it has no offset), else from the preset, else none. */
    String sinceValue(Instant now) {
        if (since != null && !since.isBlank()) {
            return FormTimes.utc(since);
        }
        Duration back = range == null ? null : RANGES.get(range);
        return back == null ? null : now.minus(back).toString();
    }

    String untilValue() {
        return FormTimes.utc(until);
    }

    /** Whether a preset names no range we offer (a hand-made link): a problem of the form. */
    boolean unknownRange() {
        return range != null && !range.isBlank() && !RANGES.containsKey(range);
    }

    /** What the "Older" link carries. */
    public String query() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("q", q);
        params.put("owner", owner);
        params.put("endpoint", endpoint);
        params.put("event", event);
        params.put("status", status);
        params.put("error_class", errorClass);
        params.put("range", range);
        params.put("since", since);
        params.put("until", until);
        return Links.query(params);
    }
}
