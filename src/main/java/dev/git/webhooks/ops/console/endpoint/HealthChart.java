package dev.git.webhooks.ops.console.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import dev.git.webhooks.ops.health.HealthQueries;
import dev.git.webhooks.ops.health.words.Counts;
import dev.git.webhooks.outbox.ActivityViews.Bucket;
import io.quarkus.qute.TemplateData;

/**
 * An endpoint's last 24 hours as an inline SVG chart, drawn on the server: a bar per hour, its successful attempts
 * below its failed ones, and the p95 of the attempts' response times as a line over them. Plain geometry, so that the
 * page needs no script and no inline style (the stylesheet colours it by class); each bar has a {@code <title>} for
 * hover and the same figures are in a table for screen readers.
 */
@TemplateData
public record HealthChart(List<Bar> bars, String p95Points, List<Point> p95Dots, long maxCount, long maxP95,
        List<Tick> ticks, List<Row> rows, String summary) {

    private static final java.time.format.DateTimeFormatter EXACT = java.time.format.DateTimeFormatter
            .ofPattern("HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC);
    static final int WIDTH = 720;
    static final int HEIGHT = 200;
    static final int LEFT = 40;
    static final int RIGHT = 56;
    static final int TOP = 10;
    static final int BOTTOM = 24;

    /** One hour's bar: where it is drawn and what its title says. */
    @TemplateData
    public record Bar(int x, int width, int okY, int okHeight, int badY, int badHeight, String title) {
    }

    @TemplateData
    public record Point(int x, int y) {
    }

    /** A label under the time axis. */
    @TemplateData
    public record Tick(int x, String label) {
    }

    /** The same figures as a table row. */
    @TemplateData
    public record Row(Instant start, long succeeded, long failed, Long p50Ms, Long p95Ms) {
    }

    /**
     * The chart of {@code hours} hours from {@code from} (an hour boundary), over these buckets; when they were read
     * from a sample that began later, the summary says since when it is complete.
     */
    static HealthChart of(HealthQueries.Hourly hourly, Instant from, int hours) {
        HealthChart chart = of(hourly.buckets(), from, hours);
        if (hourly.coveredFrom() == null) {
            return chart;
        }
        return new HealthChart(chart.bars(), chart.p95Points(), chart.p95Dots(), chart.maxCount(), chart.maxP95(),
                chart.ticks(), chart.rows(), chart.summary() + " Busy: the figures are complete from "
                        + EXACT.format(hourly.coveredFrom()) + " on (its newest deliveries).");
    }

    /** The chart of {@code hours} hours from {@code from} (an hour boundary), over these buckets. */
    static HealthChart of(List<Bucket> buckets, Instant from, int hours) {
        Map<Instant, Bucket> byHour = new HashMap<>();
        buckets.forEach(b -> byHour.put(b.start(), b));
        long maxCount = Math.max(1, buckets.stream().mapToLong(b -> b.succeeded() + b.failed()).max().orElse(0));
        long maxP95 = Math.max(1, buckets.stream().filter(b -> b.p95Ms() != null).mapToLong(Bucket::p95Ms).max()
                .orElse(0));
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        int slot = plotWidth / hours;
        List<Bar> bars = new ArrayList<>();
        List<Point> dots = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        StringJoiner line = new StringJoiner(" ");
        long ok = 0;
        long bad = 0;
        for (int h = 0; h < hours; h++) {
            Instant start = from.plus(Duration.ofHours(h));
            Bucket b = byHour.get(start);
            if (b == null) {
                continue;
            }
            ok += b.succeeded();
            bad += b.failed();
            int x = LEFT + h * slot + 2;
            int okHeight = scale(b.succeeded(), maxCount, plotHeight);
            int badHeight = scale(b.failed(), maxCount, plotHeight);
            int base = TOP + plotHeight;
            bars.add(new Bar(x, slot - 4, base - okHeight, okHeight, base - okHeight - badHeight, badHeight,
                    Counts.of(b.succeeded()) + " succeeded, " + Counts.of(b.failed()) + " failed"
                            + (b.p95Ms() == null ? "" : ", p95 " + b.p95Ms() + " ms") + " (hour from " + start + ")"));
            rows.add(new Row(start, b.succeeded(), b.failed(), b.p50Ms(), b.p95Ms()));
            if (b.p95Ms() != null) {
                Point p = new Point(x + (slot - 4) / 2, base - scale(b.p95Ms(), maxP95, plotHeight));
                dots.add(p);
                line.add(p.x() + "," + p.y());
            }
        }
        List<Tick> ticks = new ArrayList<>();
        for (int h = 0; h <= hours; h += 6) {
            ticks.add(new Tick(LEFT + h * slot, h == hours ? "now" : "−" + (hours - h) + " h"));
        }
        String summary = ok + bad == 0 ? "No attempts in the last " + hours + " hours."
                : Counts.of(ok + bad, "attempt", null) + " in the last " + hours + " hours: " + Counts.of(ok)
                        + " succeeded, " + Counts.of(bad) + " failed.";
        return new HealthChart(bars, line.toString(), dots, maxCount, buckets.stream().anyMatch(b -> b.p95Ms() != null)
                ? maxP95 : 0, ticks, rows, summary);
    }

    private static int scale(long value, long max, int height) {
        return value <= 0 ? 0 : (int) Math.max(1, Math.round((double) value * height / max));
    }

    public boolean empty() {
        return rows.isEmpty();
    }

    public int width() {
        return WIDTH;
    }

    public int height() {
        return HEIGHT;
    }

    public int left() {
        return LEFT;
    }

    public int right() {
        return WIDTH - RIGHT;
    }

    public int top() {
        return TOP;
    }

    public int base() {
        return HEIGHT - BOTTOM;
    }

    /** Where the labels of the scales and of the time axis go. */
    public int leftLabel() {
        return LEFT - 4;
    }

    public int rightLabel() {
        return WIDTH - RIGHT + 4;
    }

    public int topLabel() {
        return TOP + 10;
    }

    public int tickLabel() {
        return HEIGHT - 6;
    }
}
