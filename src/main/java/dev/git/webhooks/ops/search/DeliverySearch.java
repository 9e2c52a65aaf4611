package dev.git.webhooks.ops.search;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.common.Names;
import dev.git.webhooks.ops.DeliveryFilter;

/**
 * Deliveries across owners: by owner, endpoint, event type, status, error class and creation time. The error class
 * is that of the last attempt: {@code timeout}, {@code connection_refused}…, {@code http_503}, or a family such as
 * {@code http_5xx}; {@code endpoint_disabled} and the like for deliveries failed when their endpoint stopped.
 */
public record DeliverySearch(String owner, String endpoint, DeliveryFilter filter, String errorClass, String eventId,
        List<String> endpoints) {

    private static final Pattern ERROR_CLASS = Pattern.compile("[a-z0-9_]{1,40}");
    private static final Pattern HTTP = Pattern.compile("http_([1-5])(\\d\\d|xx)");

    /** Reads the query string; problems go to {@code checks}. */
    public static DeliverySearch parse(String owner, String endpoint, List<String> events, String status,
            String errorClass, String since, String until, FieldChecks checks) {
        String o = blankToNull(owner);
        String e = blankToNull(endpoint);
        String c = blankToNull(errorClass);
        checks.check(o == null || Names.isOwner(o), "owner", Names.OWNER_RULE);
        checks.check(e == null || e.startsWith("wh_") && e.length() <= 64, "endpoint", "must be a webhook id (wh_…)");
        checks.check(c == null || ERROR_CLASS.matcher(c).matches(), "error_class",
                "must be an error class such as timeout, connection_refused, http_503 or http_5xx");
        DeliveryFilter filter = DeliveryFilter.parse(blankToNull(status), events, since, until, checks);
        return new DeliverySearch(o, e, filter, c, null, null);
    }

    /** The same search limited to one owner (an owner's key in the console). */
    public DeliverySearch ownedBy(String only) {
        return new DeliverySearch(only, endpoint, filter, errorClass, eventId, endpoints);
    }

    /** The same search, of one event's deliveries only (the console's search by event id). */
    public DeliverySearch ofEvent(String id) {
        return new DeliverySearch(owner, endpoint, filter, errorClass, id, endpoints);
    }

    /** The same search, of these endpoints' deliveries only (the console's search by URL). */
    public DeliverySearch ofEndpoints(List<String> ids) {
        return new DeliverySearch(owner, endpoint, filter, errorClass, eventId, List.copyOf(ids));
    }

    /**
     * Without an owner, an endpoint or a start, a search covers the deliveries created in the {@code window} before
     * its {@code until}, or before {@code now}: a list across every owner is then read from a recent part of the
     * table only.
     */
    public DeliverySearch bounded(Instant now, Duration window) {
        if (!windowed()) {
            return this;
        }
        Instant start = (filter.until() == null ? now : filter.until()).minus(window);
        return new DeliverySearch(owner, endpoint, new DeliveryFilter(filter.status(), filter.events(), start,
                filter.until()), errorClass, eventId, endpoints);
    }

    /** Whether the search covers only a window of deliveries ({@link #bounded}): nothing narrows it to a few. */
    public boolean windowed() {
        return owner == null && endpoint == null && filter.since() == null && eventId == null && endpoints == null;
    }

    /** The JPQL condition over {@code Delivery}, with its parameters appended to {@code params}. */
    String where(List<Object> params) {
        List<String> terms = new ArrayList<>();
        // through the owner's endpoints: the (endpoint_id, seq) index serves it
        term(terms, params, "endpointId in (select w.id from WebhookEndpoint w where w.owner = ?", owner);
        if (owner != null) {
            terms.set(terms.size() - 1, terms.get(terms.size() - 1) + ")");
        }
        term(terms, params, "endpointId = ?", endpoint);
        term(terms, params, "eventId = ?", eventId);
        if (endpoints != null) {
            term(terms, params, "endpointId in ?", endpoints.isEmpty() ? List.of("") : endpoints);
        }
        term(terms, params, "status = ?", filter.status());
        if (!filter.events().isEmpty()) {
            term(terms, params, "eventType in ?", filter.events());
        }
        term(terms, params, "createdAt >= ?", filter.since());
        term(terms, params, "createdAt < ?", filter.until());
        if (errorClass != null) {
            Matcher http = HTTP.matcher(errorClass);
            if (http.matches() && "xx".equals(http.group(2))) {
                int family = Integer.parseInt(http.group(1)) * 100;
                term(terms, params, "lastStatus >= ?", family);
                term(terms, params, "lastStatus < ?", family + 100);
                terms.add("status <> 'delivered'");
            } else if (http.matches()) {
                term(terms, params, "lastStatus = ?", Integer.parseInt(errorClass.substring(5)));
                terms.add("status <> 'delivered'");
            } else {
                params.add(errorClass);
                params.add(errorClass + " (%");
                terms.add("(lastError = ?" + (params.size() - 1) + " or lastError like ?" + params.size() + ")");
            }
        }
        return terms.isEmpty() ? "1 = 1" : String.join(" and ", terms);
    }

    private static void term(List<String> terms, List<Object> params, String condition, Object value) {
        if (value != null) {
            params.add(value);
            terms.add(condition + params.size());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
