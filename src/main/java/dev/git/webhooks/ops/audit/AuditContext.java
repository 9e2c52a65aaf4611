package dev.git.webhooks.ops.audit;

import jakarta.enterprise.context.RequestScoped;

/** The audit entry of the current request, and the target a route names when its path has no id. */
@RequestScoped
public class AuditContext {

    private String entryId;
    private String target;

    /** Names what the action touched (for example {@code owner:acme} for a bulk replay). */
    public void target(String target) {
        this.target = target;
    }

    String target() {
        return target;
    }

    String entryId() {
        return entryId;
    }

    void entryId(String entryId) {
        this.entryId = entryId;
    }
}
