package dev.git.webhooks.tracing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.SpanContext;

class TraceParentTest {

    private static final String SAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void keepsAValidHeaderAsItIs() {
        assertThat(TraceParent.parse(SAMPLED.getBytes(StandardCharsets.US_ASCII)), equalTo(SAMPLED));
        String unsampled = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
        assertThat(TraceParent.parse(unsampled), equalTo(unsampled));
    }

    @Test
    void refusesWhatIsNotATraceContext() {
        assertThat(TraceParent.parse((byte[]) null), nullValue());
        assertThat(TraceParent.parse("not a trace"), nullValue());
        assertThat(TraceParent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01"), nullValue());
        assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"), nullValue());
        assertThat(TraceParent.parse("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), nullValue());
        assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"), nullValue());
        assertThat(TraceParent.parse(SAMPLED + "x".repeat(300)), nullValue());
    }

    @Test
    void namesTheRemoteSpanItWasReadFrom() {
        SpanContext context = TraceParent.spanContext(SAMPLED);
        assertThat(context.isRemote(), equalTo(true));
        assertThat(context.getTraceId(), equalTo("4bf92f3577b34da6a3ce929d0e0e4736"));
        assertThat(context.getSpanId(), equalTo("00f067aa0ba902b7"));
        assertThat(context.isSampled(), equalTo(true));
        assertThat(TraceParent.spanContext(null).isValid(), equalTo(false));
    }

    @Test
    void hasNoCurrentContextOutsideASpan() {
        assertThat(TraceParent.current(), nullValue());
    }
}
