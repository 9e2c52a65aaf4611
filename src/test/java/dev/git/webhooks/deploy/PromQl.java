package dev.git.webhooks.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL for a test: the metric names an expression reads. Strings, label matchers, range selectors,
 * grouping clauses, durations, numbers and Grafana variables are dropped; what remains that is neither a function call, a keyword nor
 * a number is a metric name.
 */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "offset", "bool", "inf", "nan");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromQl() {
    }

    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\$\\{[^}]*}|\\$\\w+", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\b(\\d+(ms|[smhdwy]))+\\b", " ") // durations: offset 1h, 1h30m
                .replaceAll("\\b\\d+(\\.\\d+)?(e[+-]?\\d+)?\\b", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(bare);
        while (m.find()) {
            String name = m.group();
            boolean call = bare.substring(m.end()).stripLeading().startsWith("(");
            if (!call && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    /** Parentheses, brackets and braces open and close in order. */
    static boolean balanced(String expr) {
        StringBuilder open = new StringBuilder();
        for (char c : expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "").toCharArray()) {
            int kind = "([{".indexOf(c);
            if (kind >= 0) {
                open.append(c);
            } else if (")]}".indexOf(c) >= 0) {
                if (open.isEmpty() || open.charAt(open.length() - 1) != "([{".charAt(")]}".indexOf(c))) {
                    return false;
                }
                open.setLength(open.length() - 1);
            }
        }
        return open.isEmpty();
    }
}
