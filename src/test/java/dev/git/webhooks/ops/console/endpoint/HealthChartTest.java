package dev.git.webhooks.ops.console.endpoint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.ops.health.HealthQueries;
import dev.git.webhooks.outbox.ActivityViews.Bucket;

/** The chart's geometry: bars scaled to the busiest hour, failures stacked on successes, the p95 line. */
class HealthChartTest {

    private static final Instant FROM = Instant.parse("2026-12-05T13:00:00Z");

    @Test
    void scalesBarsToTheBusiestHourAndStacksFailuresOnSuccesses() {
        HealthChart chart = HealthChart.of(List.of(new Bucket(FROM, 90, 10, 40L, 80L),
                new Bucket(FROM.plus(Duration.ofHours(23)), 25, 25, 60L, 160L)), FROM, 24);
        assertThat(chart.bars(), hasSize(2));
        HealthChart.Bar busiest = chart.bars().get(0);
        assertThat(busiest.okHeight() + busiest.badHeight(), equalTo(chart.base() - chart.top()));
        assertThat(busiest.badY() + busiest.badHeight(), equalTo(busiest.okY()));
        HealthChart.Bar last = chart.bars().get(1);
        assertThat(last.okHeight(), equalTo(last.badHeight()));
        assertThat("the p95 line's highest point is the slowest hour", chart.p95Dots().get(1).y(),
                equalTo(chart.top()));
        assertThat(chart.maxP95(), equalTo(160L));
        assertThat(chart.summary(), equalTo("150 attempts in the last 24 hours: 115 succeeded, 35 failed."));
        assertThat(chart.ticks().get(chart.ticks().size() - 1).label(), equalTo("now"));
    }

    @Test
    void aBusyEndpointsChartSaysSinceWhenItsFiguresAreComplete() {
        HealthChart chart = HealthChart.of(new HealthQueries.Hourly(List.of(new Bucket(FROM.plus(Duration.ofHours(23)),
                10_000, 0, 5L, 9L)), Instant.parse("2026-12-06T12:02:00Z")), FROM, 24);
        assertThat(chart.summary(), equalTo("10,000 attempts in the last 24 hours: 10,000 succeeded, 0 failed. Busy: "
                + "the figures are complete from 12:02 UTC on (its newest deliveries)."));
    }

    @Test
    void anEmptyDaySaysSo() {
        HealthChart chart = HealthChart.of(List.of(), FROM, 24);
        assertThat(chart.empty(), equalTo(true));
        assertThat(chart.summary(), equalTo("No attempts in the last 24 hours."));
    }
}
