package dev.git.webhooks.ingest.consumer;

import java.util.List;

import dev.git.webhooks.ingest.IncomingEvent;

/** Stores valid events with their deliveries, durably, all or nothing. */
@FunctionalInterface
public interface BatchStore {

    /** Throws when nothing was stored; {@link StoreFailures} tells a bad record from an unavailable database. */
    void store(List<IncomingEvent> events) throws Exception;
}
