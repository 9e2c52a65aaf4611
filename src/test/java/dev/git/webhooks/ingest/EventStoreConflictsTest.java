package dev.git.webhooks.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Kafka;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An event id seen before with other bytes is a conflict, record by record: a batch (one poll, or several gathered
 * within the linger) may hold the same id several times, and each of its records is compared with the stored event.
 */
@QuarkusTest
class EventStoreConflictsTest {

    private static final String TOPIC = "repo.push";

    @Inject
    EventStore store;

    private long offset = 1_000_000;

    @Test
    void everyRecordOfAKnownIdInOneBatchIsComparedWithTheStoredEvent() {
        String id = Kafka.newEventId();
        IncomingEvent original = event(id, "conflicts-a", null);
        assertEquals(Set.of(id), store.store(List.of(original)).newEventIds());

        IncomingEvent again = event(id, "conflicts-a", null);
        IncomingEvent taken = event(id, "conflicts-b", null);
        IncomingEvent changed = event(id, "conflicts-a", "conflicts-a/api");
        EventStore.Stored batch = store.store(List.of(again, taken, changed));
        assertEquals(Set.of(taken.source(), changed.source()), batch.conflicts(),
                "another owner's and another payload, each; the same bytes read again is not one");
        assertEquals(1, batch.duplicates());
        assertEquals(Set.of(), batch.newEventIds());
    }

    @Test
    void aNewIdTwiceInOneBatchStoresTheFirstAndComparesTheSecond() {
        String id = Kafka.newEventId();
        IncomingEvent first = event(id, "conflicts-c", null);
        IncomingEvent same = event(id, "conflicts-c", null);
        IncomingEvent other = event(id, "conflicts-d", null);
        EventStore.Stored batch = store.store(List.of(first, same, other));
        assertEquals(Set.of(id), batch.newEventIds());
        assertEquals(Set.of(other.source()), batch.conflicts());
        assertEquals(1, batch.duplicates());
    }

    private IncomingEvent event(String id, String owner, String repo) {
        byte[] payload = Kafka.event(TOPIC, id, owner, repo).getBytes(StandardCharsets.UTF_8);
        return new IncomingEvent(id, TOPIC, owner, repo, Instant.parse("2026-12-07T10:00:00Z"), payload, TOPIC, 0,
                offset++, Instant.now(), null);
    }
}
