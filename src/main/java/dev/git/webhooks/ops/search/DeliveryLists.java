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
 * endpoint or {@code since} covers the {@link #DEFAULT_WINDOW} before its {@code until} (before now when it has
 * none), and says so in its {@link Window}.
 */
@ApplicationScoped
public class DeliveryLists {

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    private final Clock clock;

    public DeliveryLists(Clock clock) {
        this.clock = clock;
    }

    /** A page of deliveries (one more than the page shows, see {@link PageRequest}) and the window it covered. */
    public record Found(List<Delivery> rows, Window window) {
    }

    @Transactional
    public Found search(DeliverySearch search, PageRequest page) {
        DeliverySearch bounded = search.bounded(clock.instant(), DEFAULT_WINDOW);
        List<Object> params = new ArrayList<>();
        String where = bounded.where(params);
        params.add(page.before());
        List<Delivery> rows = Delivery.<Delivery>find(where + " and seq < ?" + params.size() + " order by seq desc",
                params.toArray()).page(0, page.fetchSize()).list();
        return new Found(rows, new Window(bounded.filter().since(), bounded.filter().until(), search.windowed()));
    }
}
