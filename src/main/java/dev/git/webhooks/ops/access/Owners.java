package dev.git.webhooks.ops.access;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.git.webhooks.api.auth.CallerContext;

/**
 * Whose a resource is, by id: what an operator's key needs before it can use the owner-scoped services of §4 on
 * any owner's resources. An owner's key never reaches these lookups (its own owner is used, so others' ids stay
 * 404).
 */
@ApplicationScoped
public class Owners {

    private final EntityManager em;
    private final CallerContext caller;

    public Owners(EntityManager em, CallerContext caller) {
        this.em = em;
        this.caller = caller;
    }

    public String ofEndpoint(String id) {
        return caller.ownerOf(id, i -> lookup("webhook_endpoint", i), "webhook");
    }

    public String ofDelivery(String id) {
        return caller.ownerOf(id, i -> lookup("delivery", i), "delivery");
    }

    public String ofEvent(String id) {
        return caller.ownerOf(id, i -> lookup("event", i), "event");
    }

    public String ofReplay(String id) {
        return caller.ownerOf(id, i -> lookup("replay", i), "replay");
    }

    @Transactional
    Optional<String> lookup(String table, String id) {
        List<?> rows = em.createNativeQuery("select owner from " + table + " where id = ?1")
                .setParameter(1, id).getResultList();
        return rows.stream().map(String::valueOf).findFirst();
    }
}
