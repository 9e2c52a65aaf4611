package dev.git.webhooks.ingest.consumer;

import java.util.List;

/** Where refused records go: the dead-letter topic. */
@FunctionalInterface
public interface DeadLetterSink {

    /**
     * Returns once every letter is acknowledged, with the number that had to be published truncated; throws when
     * any was not (the caller then rewinds and publishes them all again: at least once).
     */
    int publish(List<DeadLetter> letters) throws Exception;
}
