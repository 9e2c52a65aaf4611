package dev.git.webhooks.ingest.consumer;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether the consumer moves past what it reads: the time since it first polled records it has not finished yet
 * (stored, dead-lettered and committed). Written by the ingest thread, read by health checks and gauges.
 */
public final class IngestProgress {

    private volatile Instant unfinishedSince;
    /** Since when every poll failed (a record the client cannot read stops its partitions, and brings no records). */
    private volatile Instant pollFailingSince;
    private volatile String lastFailure;
    private volatile double recordsLag = Double.NaN;

    /** Records were polled; a batch that is polled again after a failure keeps the time of its first poll. */
    void started(Instant now) {
        if (unfinishedSince == null) {
            unfinishedSince = now;
        }
    }

    void pollFailed(Instant now) {
        if (pollFailingSince == null) {
            pollFailingSince = now;
        }
    }

    void polled() {
        pollFailingSince = null;
    }

    void finished() {
        unfinishedSince = null;
        lastFailure = null;
    }

    void failed(String why) {
        lastFailure = why;
    }

    /** The partitions went to another consumer (or this one stops): nothing of theirs is held here any more. */
    void released() {
        unfinishedSince = null;
    }

    public void recordsLag(double lag) {
        recordsLag = lag;
    }

    /**
     * How long the oldest unfinished record has been held, or every poll has failed, whichever is longer; zero when
     * everything polled is done and the last poll worked.
     */
    public Duration stalledFor(Instant now) {
        Instant since = unfinishedSince;
        Instant failing = pollFailingSince;
        if (since == null || failing != null && failing.isBefore(since)) {
            since = failing;
        }
        return since == null ? Duration.ZERO : Duration.between(since, now).abs();
    }

    /** The latest failure while records are held, or null. */
    public String lastFailure() {
        return lastFailure;
    }

    /** The consumer's largest record lag over its partitions (Kafka's {@code records-lag-max}), NaN if unknown. */
    public double recordsLag() {
        return recordsLag;
    }
}
