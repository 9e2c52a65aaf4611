package dev.git.webhooks.outbox;

/** Text that PostgreSQL's {@code text} and {@code jsonb} accept: no NUL, no lone surrogate, bounded length. */
public final class Text {

    private Text() {
    }

    public static String clean(String value, int maxChars) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), maxChars));
        for (int i = 0; i < value.length() && out.length() < maxChars; i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                out.append('\uFFFD');
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                out.append(c).append(value.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
