package dev.git.webhooks.tracing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;

class BackgroundQueriesTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final Attributes QUERY = Attributes.builder().put("db.system", "postgresql").build();
    private static final Context IN_A_BATCH = Context.root().with(Span.wrap(
            TraceParent.spanContext("00-" + TRACE + "-00f067aa0ba902b7-01")));

    private final Sampler sampler = new BackgroundQueries.Quiet(Sampler.parentBased(Sampler.alwaysOn()));

    @Test
    void dropsAStatementThatRunsOutsideAnyTrace() {
        assertThat(decide(Context.root(), SpanKind.CLIENT, QUERY), equalTo(SamplingDecision.DROP));
        assertThat(decide(Context.root(), SpanKind.CLIENT, Attributes.builder().put("db.system.name", "postgresql")
                .build()), equalTo(SamplingDecision.DROP));
    }

    @Test
    void keepsAStatementOfTracedWork() {
        assertThat(decide(IN_A_BATCH, SpanKind.CLIENT, QUERY), equalTo(SamplingDecision.RECORD_AND_SAMPLE));
    }

    @Test
    void leavesOtherRootSpansToTheConfiguredSampler() {
        assertThat(decide(Context.root(), SpanKind.CLIENT, Attributes.empty()),
                equalTo(SamplingDecision.RECORD_AND_SAMPLE));
        assertThat(decide(Context.root(), SpanKind.CONSUMER, QUERY), equalTo(SamplingDecision.RECORD_AND_SAMPLE));
        assertThat(new BackgroundQueries.Quiet(Sampler.alwaysOff()).shouldSample(Context.root(), TRACE, "x",
                SpanKind.CLIENT, Attributes.empty(), List.of()).getDecision(), equalTo(SamplingDecision.DROP));
    }

    private SamplingDecision decide(Context parent, SpanKind kind, Attributes attributes) {
        return sampler.shouldSample(parent, TRACE, "SELECT", kind, attributes, List.of()).getDecision();
    }
}
