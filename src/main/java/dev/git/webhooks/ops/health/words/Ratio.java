package dev.git.webhooks.ops.health.words;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A success ratio as people read it: "100 %" only when nothing failed and "0 %" only when nothing succeeded; in
 * between one decimal, rounded toward the nearer end but never onto it. 2,500 delivered and 11 failed is 99.5 %,
 * not the "100 %" that plain rounding printed beside "11 failed".
 */
public record Ratio(long part, long whole) {

    /** The percentage as shown, or null when there is nothing to measure. */
    public String percent() {
        if (whole <= 0) {
            return null;
        }
        if (part >= whole) {
            return "100 %";
        }
        if (part <= 0) {
            return "0 %";
        }
        BigDecimal exact = BigDecimal.valueOf(part * 100).divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_UP);
        BigDecimal shown = exact.max(new BigDecimal("0.1")).min(new BigDecimal("99.9"));
        return shown.stripTrailingZeros().toPlainString() + " %";
    }

    /** "97.3 % (146 of 150)", or null when there is nothing to measure. */
    public String sentence() {
        return whole <= 0 ? null : percent() + " (" + Counts.of(part) + " of " + Counts.of(whole) + ")";
    }
}
