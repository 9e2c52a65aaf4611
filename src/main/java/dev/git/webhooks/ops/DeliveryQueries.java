package dev.git.webhooks.ops;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.common.Refusal;
import dev.git.webhooks.ops.OpsViews.AttemptView;
import dev.git.webhooks.ops.OpsViews.DeliveryView;
import dev.git.webhooks.ops.OpsViews.EventView;
import dev.git.webhooks.outbox.Delivery;
import dev.git.webhooks.outbox.DeliveryAttempt;
import dev.git.webhooks.outbox.DeliveryStatus;
import dev.git.webhooks.subscription.WebhookEndpoints;

/** What operators read: an endpoint's deliveries, one delivery with its attempts, one event with its deliveries. */
@ApplicationScoped
public class DeliveryQueries {

    private final WebhookEndpoints endpoints;

    public DeliveryQueries(WebhookEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Transactional
    public List<Delivery> list(String owner, String endpointId, DeliveryFilter filter, PageRequest page) {
        endpoints.get(owner, endpointId);
        List<Object> params = DeliveryFilter.params(endpointId);
        String where = filter.where(params);
        params.add(page.before());
        return Delivery.<Delivery>find(where + " and seq < ?" + params.size() + " order by seq desc",
                params.toArray()).page(0, page.fetchSize()).list();
    }

    /**
     * Events newest first: an owner's ({@code owner} null: every owner's, for operators), of the filter's types and
     * receipt times, of one repository if {@code repo} is given. Events a filter or a switched-off endpoint kept from
     * an endpoint are listed too: what a customer was sent or missed.
     */
    @Transactional
    public List<Event> events(String owner, DeliveryFilter filter, String repo, PageRequest page) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder("seq < ?1");
        params.add(page.before());
        if (owner != null) {
            params.add(owner);
            where.append(" and owner = ?").append(params.size());
        }
        if (!filter.events().isEmpty()) {
            params.add(filter.events());
            where.append(" and type in ?").append(params.size());
        }
        if (repo != null) {
            params.add(repo);
            where.append(" and repo = ?").append(params.size());
        }
        if (filter.since() != null) {
            params.add(filter.since());
            where.append(" and receivedAt >= ?").append(params.size());
        }
        if (filter.until() != null) {
            params.add(filter.until());
            where.append(" and receivedAt < ?").append(params.size());
        }
        return Event.<Event>find(where + " order by seq desc", params.toArray()).page(0, page.fetchSize()).list();
    }

    @Transactional
    public DeliveryView delivery(String owner, String id) {
        Delivery delivery = Delivery.findOwned(owner, id);
        if (delivery == null) {
            throw Refusal.notFound("delivery", id);
        }
        List<AttemptView> attempts = new java.util.ArrayList<>(DeliveryAttempt.of(id).stream().map(AttemptView::of)
                .toList());
        if (delivery.is(DeliveryStatus.DELIVERED) && delivery.lastAttemptAt != null
                && attempts.stream().noneMatch(a -> a.attempt() == delivery.attempts)) {
            attempts.add(AttemptView.lastOf(delivery));
        }
        return DeliveryView.of(delivery, attempts);
    }

    @Transactional
    public EventView event(String owner, String id) {
        Event event = Event.findOwned(owner, id);
        if (event == null) {
            throw Refusal.notFound("event", id);
        }
        List<DeliveryView> deliveries = Delivery.<Delivery>list("eventId = ?1 order by seq", id).stream()
                .map(DeliveryView::of).toList();
        return new EventView(event.id, event.type, event.owner, event.repo, event.occurredAt, event.receivedAt,
                new String(event.payload, StandardCharsets.UTF_8), deliveries);
    }
}
