package dev.git.webhooks.ops.search;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.ops.Delivery;

/** Pages through deliveries across owners, newest first, for the ops API and the console. */
@ApplicationScoped
public class DeliveryLists {

    @Transactional
    public List<Delivery> search(DeliverySearch search, PageRequest page) {
        List<Object> params = new ArrayList<>();
        String where = search.where(params);
        params.add(page.before());
        return Delivery.<Delivery>find(where + " and seq < ?" + params.size() + " order by seq desc",
                params.toArray()).page(0, page.fetchSize()).list();
    }
}
