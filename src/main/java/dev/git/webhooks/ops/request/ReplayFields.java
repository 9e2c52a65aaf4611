package dev.git.webhooks.ops.request;

import java.util.List;

/** The filter that the bodies of an endpoint's replay and of a bulk replay share. */
public interface ReplayFields {

    /**
     * The statuses a replay may copy, as the bodies' {@code @Pattern} (anchored, so that the OpenAPI pattern says
     * the same as Bean Validation); {@code DeliveryFilter.REPLAYABLE} is the same set for callers in code.
     */
    String REPLAYABLE = "^(failed|delivered)$";
    String REPLAYABLE_RULE = "must be failed or delivered (pending deliveries are still being retried; replayed "
            + "ones were sent again already: replay their copies)";

    /** The status of the deliveries to replay; {@code failed} when the body has none. */
    String status();

    List<String> events();

    String since();

    String until();

    Boolean dryRun();

    default String statusOrFailed() {
        return status() == null ? "failed" : status();
    }

    default boolean dry() {
        return Boolean.TRUE.equals(dryRun());
    }
}
