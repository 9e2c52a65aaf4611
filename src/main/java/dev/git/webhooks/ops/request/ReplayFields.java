package dev.git.webhooks.ops.request;

import java.util.List;

/** The filter that the bodies of an endpoint's replay and of a bulk replay share. */
public interface ReplayFields {

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
