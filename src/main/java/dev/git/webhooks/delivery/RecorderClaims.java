package dev.git.webhooks.delivery;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.git.webhooks.outbox.DeliveryJob;

/**
 * The claimed jobs the {@link Recorder} holds: those whose outcome or hand-back is not written yet (still this
 * instance's claims: the {@link ClaimKeeper} renews them and keeps the oldest fresh one in the instance's row, so
 * that the reaper finds it if the instance dies), and those whose outcome could not be written at all (stranded:
 * their claims must end for them to be sent again).
 */
final class RecorderClaims {

    private final Set<DeliveryJob> unwritten = ConcurrentHashMap.newKeySet();
    private final Set<DeliveryJob> stranded = ConcurrentHashMap.newKeySet();

    void holding(DeliveryJob job) {
        unwritten.add(job);
    }

    void written(DeliveryJob job) {
        unwritten.remove(job);
    }

    void strand(DeliveryJob job) {
        stranded.add(job);
    }

    List<DeliveryJob> unwritten() {
        return List.copyOf(unwritten);
    }

    List<DeliveryJob> stranded() {
        return List.copyOf(stranded);
    }

    /** Their claims ended (or were lost): nothing more to do about them here. */
    void unstrand(Collection<DeliveryJob> jobs) {
        stranded.removeAll(jobs);
    }

    /** Waits until everything held is written (a clean shutdown); false if {@code timeout} passed first. */
    boolean awaitWritten(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!unwritten.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return unwritten.isEmpty();
    }
}
