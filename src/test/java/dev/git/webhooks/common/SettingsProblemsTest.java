package dev.git.webhooks.common;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.WithParentName;

class SettingsProblemsTest {

    public interface Sample {
        Duration timeout();

        int maxThings();

        List<Duration> schedule();

        Optional<List<String>> networks();

        Group group();

        interface Group {
            double ratio();
        }
    }

    public interface Parent {
        @WithParentName
        Duration period();
    }

    public record Values(Duration timeout, int maxThings, List<Duration> schedule, Optional<List<String>> networks,
            Sample.Group group) implements Sample {
    }

    public record Ratio(double ratio) implements Sample.Group {
    }

    public record Period(Duration period) implements Parent {
    }

    @Test
    void namesEveryNegativeValueAndEmptyListWithItsVariable() {
        SettingsProblems problems = new SettingsProblems();
        problems.general("x.y", Sample.class, new Values(Duration.ofSeconds(-5), -1, List.of(Duration.ofSeconds(1),
                Duration.ofSeconds(-1)), Optional.of(List.of()), new Ratio(-0.5)));
        problems.positive("x.y.timeout", Duration.ofSeconds(-5)); // already said: not twice
        assertThat(problems.all(), containsInAnyOrder(
                "x.y.timeout (X_Y_TIMEOUT) must not be negative, not PT-5S",
                "x.y.max-things (X_Y_MAX_THINGS) must not be negative, not -1",
                "x.y.schedule (X_Y_SCHEDULE) must not be negative, not PT-1S",
                "x.y.networks (X_Y_NETWORKS) must not be empty",
                "x.y.group.ratio (X_Y_GROUP_RATIO) must not be negative, not -0.5"));
    }

    @Test
    void acceptsSaneValuesAndReadsParentNames() {
        SettingsProblems problems = new SettingsProblems();
        problems.general("x.y", Sample.class, new Values(Duration.ofSeconds(5), 0, List.of(Duration.ZERO),
                Optional.empty(), new Ratio(0.5)));
        assertThat(problems.all(), empty());
        problems.general("x.period", Parent.class, new Period(Duration.ofDays(-1)));
        problems.positive("x.zero", Duration.ZERO);
        assertThat(problems.all(), contains("x.period (X_PERIOD) must not be negative, not PT-24H",
                "x.zero (X_ZERO) must be a positive duration, not PT0S"));
    }
}
