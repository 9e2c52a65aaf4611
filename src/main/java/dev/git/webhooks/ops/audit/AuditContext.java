package dev.git.webhooks.ops.audit;

import jakarta.enterprise.context.RequestScoped;

/**
 * The audit entry of the current request, the target a route names when its path has no id, and the action a route
 * names once its body says more than its path (an enable that also replays, a replay that is only a dry run).
 */
@RequestScoped
public class AuditContext {

    private String entryId;
    private String target;
    private String action;
    private Integer status;
    private String outcome;

    /**
     * Records what the action did, in words, and the status it stands for: a console action answers a redirect
     * (303) to the page that shows its result, which is not its outcome.
     */
    public void outcome(int status, String outcome) {
        this.status = status;
        this.outcome = outcome;
    }

    /** What the action did, in words, when it said. */
    public void outcome(String outcome) {
        this.outcome = outcome;
    }

    Integer status() {
        return status;
    }

    String outcome() {
        return outcome;
    }

    /** Names what the action touched (for example {@code owner:acme} for a bulk replay). */
    public void target(String target) {
        this.target = target;
    }

    String target() {
        return target;
    }

    /** Names the action more precisely than the route's {@link Audited} does (for example {@code replay.dry_run}). */
    public void action(String action) {
        this.action = action;
    }

    String action() {
        return action;
    }

    String entryId() {
        return entryId;
    }

    void entryId(String entryId) {
        this.entryId = entryId;
    }
}
