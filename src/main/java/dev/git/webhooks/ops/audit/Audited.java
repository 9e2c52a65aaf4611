package dev.git.webhooks.ops.audit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Names the action of a route in the audit log ({@code delivery.redeliver}); unnamed routes log their path. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Audited {

    /** Any replay that only counts, through the API or the console, of one endpoint or many: it changes nothing. */
    String REPLAY_DRY_RUN = "replay.dry_run";

    String value();
}
