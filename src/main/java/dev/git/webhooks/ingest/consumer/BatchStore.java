package dev.git.webhooks.ingest.consumer;

import java.util.List;

import dev.git.webhooks.ingest.IncomingEvent;

/** Stores valid events with their deliveries, durably, all or nothing. */
@FunctionalInterface
public interface BatchStore {

    /**
     * Throws when nothing was stored; {@link StoreFailures} tells a bad record from an unavailable database. Answers
     * the records ({@link IncomingEvent#source()}) of the events it did not store because an event with other bytes
     * (another owner's, another payload) already has the id (ids are global).
     */
    java.util.Set<String> store(List<IncomingEvent> events) throws Exception;
}
