package dev.git.webhooks.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void aTimeOrderedIdSortsBetweenTheBoundsOfItsMillisecondAndTheNext() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            // any time from 1970 to about 2500
            long millis = (long) (random.nextDouble() * 16_725_225_600_000L);
            String id = Ids.newTimeOrderedId("dlv", millis);
            assertEquals(26, id.length(), id);
            String low = Ids.timeOrderedBound("dlv", millis);
            String high = Ids.timeOrderedBound("dlv", millis + 1);
            assertTrue(id.startsWith(low), id);
            assertTrue(low.compareTo(id) < 0 && id.compareTo(high) < 0, id + " between " + low + " and " + high);
            // and the bounds of any later time sort above the id: a range of times is a range of ids
            long later = millis + 1 + (long) (random.nextDouble() * 1_000_000_000L);
            assertTrue(id.compareTo(Ids.timeOrderedBound("dlv", later)) < 0, id + " before " + later);
        }
    }
}
