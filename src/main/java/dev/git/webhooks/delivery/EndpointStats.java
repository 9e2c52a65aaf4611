package dev.git.webhooks.delivery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;

/**
 * Success ratio of the busiest endpoints, as {@code webhooks_endpoint_success_ratio{endpoint="wh_…"}}: counts per
 * endpoint over a window, and at the end of each window only the {@value #TOP} busiest get a series, so the label
 * cardinality stays bounded however many endpoints there are.
 */
@ApplicationScoped
public class EndpointStats {

    static final int TOP = 20;

    private record Window(LongAdder success, LongAdder failure) {
        long total() {
            return success.sum() + failure.sum();
        }
    }

    private final MeterRegistry metrics;
    private volatile Map<String, Window> window = new ConcurrentHashMap<>();
    private MultiGauge ratios;

    public EndpointStats(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    @PostConstruct
    void register() {
        ratios = MultiGauge.builder("webhooks.endpoint.success.ratio")
                .description("Share of successful attempts of the busiest endpoints over the last window")
                .register(metrics);
    }

    public void attempted(String endpointId, boolean success) {
        Window counts = window.computeIfAbsent(endpointId, id -> new Window(new LongAdder(), new LongAdder()));
        (success ? counts.success() : counts.failure()).increment();
    }

    @Scheduled(every = "30s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void publish() {
        Map<String, Window> ended = window;
        window = new ConcurrentHashMap<>();
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        ended.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, Window> e) -> e.getValue().total()).reversed())
                .limit(TOP)
                .forEach(e -> {
                    double ratio = (double) e.getValue().success().sum() / Math.max(1, e.getValue().total());
                    rows.add(MultiGauge.Row.of(Tags.of("endpoint", e.getKey()), ratio));
                });
        ratios.register(rows, true);
    }
}
