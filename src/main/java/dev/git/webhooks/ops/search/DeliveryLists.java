package dev.git.webhooks.ops.search;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.outbox.Delivery;

/**
 * Pages through deliveries across owners, newest first, for the ops API and the console. A search with no owner,
 * endpoint or {@code since} covers the last {@link #DEFAULT_WINDOW}.
 */
@ApplicationScoped
public class DeliveryLists {

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    private final Clock clock;

    public DeliveryLists(Clock clock) {
        this.clock = clock;
    }

    @Transactional
    public List<Delivery> search(DeliverySearch search, PageRequest page) {
        List<Object> params = new ArrayList<>();
        String where = search.boundedFrom(clock.instant().minus(DEFAULT_WINDOW)).where(params);
        params.add(page.before());
        return Delivery.<Delivery>find(where + " and seq < ?" + params.size() + " order by seq desc",
                params.toArray()).page(0, page.fetchSize()).list();
    }
}
