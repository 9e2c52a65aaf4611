package dev.git.webhooks.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.git.webhooks.common.Timestamps;

/**
 * {@code ?since=&until=} of a list: RFC 3339 times, either absent; {@code since} inclusive, {@code until} exclusive.
 * A value that is not a time, or an {@code until} not after {@code since}, is a problem of the field it names.
 */
public record TimeRange(Instant since, Instant until) {

    public static final TimeRange ANY = new TimeRange(null, null);

    /** Reads both; problems go to {@code checks} (and the range holds what could be read). */
    public static TimeRange parse(String since, String until, FieldChecks checks) {
        Instant from = time(since, "since", checks);
        Instant to = time(until, "until", checks);
        checks.check(from == null || to == null || from.isBefore(to), "until", "must be after since");
        return new TimeRange(from, to);
    }

    /**
     * A list's filter of a state and a time range, as the API and the console take them: a state that is absent or
     * blank is any, another one must be one of {@code states}; every problem is one of its field, all reported at once.
     */
    public static TimeRange withState(String state, List<String> states, String since, String until) {
        FieldChecks checks = new FieldChecks().check(state == null || state.isBlank() || states.contains(state),
                "state", "must be " + String.join(", ", states.subList(0, states.size() - 1)) + " or "
                        + states.get(states.size() - 1));
        TimeRange range = parse(since, until, checks);
        checks.throwIfAny();
        return range;
    }

    /**
     * A time given in a JSON body: blank there is a mistake (an unset variable in a script), not "no bound" as in a
     * query or a form, so it is a problem of its field.
     */
    public static void refuseBlank(String value, String field, FieldChecks checks) {
        checks.check(value == null || !value.isBlank(), field, Timestamps.RULE);
    }

    /** One RFC 3339 time of the field {@code field}, or null if it is absent or blank; a problem goes to checks. */
    public static Instant time(String value, String field, FieldChecks checks) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Optional<Instant> time = Timestamps.parse(value);
        checks.check(time.isPresent(), field, Timestamps.RULE);
        return time.orElse(null);
    }
}
