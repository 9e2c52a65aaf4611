package dev.git.webhooks.common;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * The one {@link Clock} of the application: UTC in microseconds, as PostgreSQL keeps them. Logic takes it injected
 * so that tests can fix time. (Not {@code Clock.tick(…, 1 µs)}: its {@code millis()} divides by zero on JDK 17.)
 * A singleton, not application-scoped: the delivery path reads the time many times per delivery, and a client proxy
 * looks its instance up in the context at every call (40 % of the delivery engine's thread in a profile).
 */
@ApplicationScoped
public class TimeSource {

    @Produces
    @jakarta.inject.Singleton
    Clock clock() {
        return new MicrosClock();
    }

    static final class MicrosClock extends Clock {

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.system(zone);
        }

        @Override
        public Instant instant() {
            return Instant.now().truncatedTo(ChronoUnit.MICROS);
        }

        @Override
        public long millis() {
            return System.currentTimeMillis();
        }
    }
}
