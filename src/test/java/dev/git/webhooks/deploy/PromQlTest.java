package dev.git.webhooks.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void findsTheMetricsOfAnExpressionAndNothingElse() {
        assertThat(PromQl.metricNames("""
                sum by (outcome, le) (rate(webhooks_deliveries_total{outcome!="delivered",x=~"a|b"}[$__rate_interval]))
                  / ignoring(instance) sum(rate(webhooks_deliveries_total[10m] offset 1h)) > 0.5
                and histogram_quantile(0.99, sum by (le) (rate(other_seconds_bucket[5m]))) > 1e3
                or on(instance) max(webhooks_recording_backlog) > bool 2"""),
                contains("other_seconds_bucket", "webhooks_deliveries_total", "webhooks_recording_backlog"));
    }

    @Test
    void tellsBalancedExpressionsFromBrokenOnes() {
        assertThat(PromQl.balanced("sum(rate(a{b=\")\"}[5m]))"), equalTo(true));
        assertThat(PromQl.balanced("sum(rate(a[5m])"), equalTo(false));
        assertThat(PromQl.balanced("sum(rate(a[5m)))"), equalTo(false));
    }
}
