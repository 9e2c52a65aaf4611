package dev.git.webhooks.ops.search;

import java.util.List;

import dev.git.webhooks.api.Page;
import dev.git.webhooks.ops.OpsViews.DeliveryView;

/**
 * A page of {@code GET /v2/ops/deliveries}: a list page ({@code data}, {@code pagination}) that also says which
 * creation times it covered ({@code window}), so that a default window is never applied silently.
 */
public record DeliveryPage(List<DeliveryView> data, Page.Pagination pagination, Window window) {

    static DeliveryPage of(Page<DeliveryView> page, Window window) {
        return new DeliveryPage(page.data(), page.pagination(), window);
    }
}
