package dev.git.webhooks.ops.health.words;

import java.util.Locale;

/** Counts as people read them: 2,510 rather than 2510, and "1 delivery" against "2 deliveries". */
public final class Counts {

    private Counts() {
    }

    public static String of(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code n} with the noun in the singular or plural ({@code plural} null: the singular plus "s"). */
    public static String of(long n, String singular, String plural) {
        return of(n) + " " + (n == 1 ? singular : plural == null ? singular + "s" : plural);
    }

    public static String deliveries(long n) {
        return of(n, "delivery", "deliveries");
    }
}
