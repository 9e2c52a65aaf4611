package dev.git.webhooks.delivery;

import java.util.ArrayList;
import java.util.List;

/**
 * The room that ingest reserved in the dispatcher for the fresh deliveries of one batch: handed over with the jobs
 * once the batch is stored, or given back if it was not.
 */
public final class Reservations {

    private final Dispatcher dispatcher;
    private final List<String> endpoints = new ArrayList<>();

    public Reservations(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** Room for one fresh delivery to this endpoint; false: store it due, the poller will send it. */
    public boolean reserve(String endpointId) {
        if (dispatcher.reserve(endpointId)) {
            endpoints.add(endpointId);
            return true;
        }
        return false;
    }

    /** The batch is stored: its reserved deliveries go out now. */
    public void handOver(List<DeliveryJob> jobs) {
        endpoints.clear();
        dispatcher.offerReserved(jobs);
    }

    /** The batch was not stored: give the room back. */
    public void cancel() {
        endpoints.forEach(dispatcher::cancel);
        endpoints.clear();
    }
}
