package dev.git.webhooks.ops.console.text;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import dev.git.webhooks.ops.health.words.Ago;

/**
 * Times on console pages ({@code {#time value /}}, templates/tags/time.html): relative to now ("3 min ago"), short
 * enough not to wrap in a table, with the exact UTC time on hover and in the {@code datetime} attribute. Never the
 * microseconds of a raw timestamp.
 */
@Named("when")
@ApplicationScoped
public class ConsoleTimes {

    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Clock clock;

    public ConsoleTimes(Clock clock) {
        this.clock = clock;
    }

    public String ago(Instant time) {
        return time == null ? "—" : Ago.of(time, clock.instant());
    }

    public String exact(Instant time) {
        return time == null ? "" : EXACT.format(time);
    }

    /** The machine-readable form, to the second. */
    public String iso(Instant time) {
        return time == null ? "" : time.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
