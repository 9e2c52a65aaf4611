package dev.git.webhooks.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * docs/operations.md says which migrations an older version cannot run beside (a rolling update across them is not
 * safe): exactly those that do more than add tables, nullable columns and indexes. A new migration that drops,
 * rewrites or tightens something fails this test until the runbook names it.
 */
class RollingUpdateDocTest {

    private static final Path MIGRATIONS = Path.of("src", "main", "resources", "db", "migration");
    /**
     * Statements that change what an older version relies on: drops, rewrites of rows, tightened columns (a trigger
     * that fires {@code before update} rewrites no row by being created).
     */
    private static final Pattern NOT_ADDITIVE = Pattern.compile(
            "\\bdrop\\b|(?<!on\\s)(?<!before\\s)(?<!after\\s)(?<!or\\s)\\bupdate\\b|"
                    + "(?<!on\\s)\\bdelete\\b|\\brename\\b|\\btruncate\\b|\\balter\\s+column\\s+\\w+\\s+"
                    + "(?:set\\s+not\\s+null|type)|\\badd\\s+column\\s+[^;]*\\bnot\\s+null\\b(?![^;]*\\bdefault\\b)");
    private static final Pattern ROW = Pattern.compile("(?m)^\\| (V\\d+ `[^`]+`) \\|");
    private static final Pattern NAMED = Pattern.compile("(?m)^- \\*\\*V(\\d+)\\*\\*");

    @Test
    void theRunbookNamesEveryMigrationThatIsNotSafeForARollingUpdate() throws IOException {
        Set<Integer> unsafe = new TreeSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).toList()) {
                String sql = Files.readString(file).replaceAll("--[^\\n]*", "").toLowerCase(Locale.ROOT);
                if (NOT_ADDITIVE.matcher(sql).find()) {
                    String name = file.getFileName().toString();
                    unsafe.add(Integer.parseInt(name.substring(1, name.indexOf("__"))));
                }
            }
        }
        String runbook = Files.readString(Path.of("docs", "operations.md"));
        int start = runbook.indexOf("**Not every upgrade can be rolled.**");
        assertThat("operations.md says which upgrades cannot be rolled", start >= 0, equalTo(true));
        String section = runbook.substring(start);
        Set<Integer> named = new TreeSet<>();
        Matcher m = NAMED.matcher(section.substring(0, section.indexOf("\n\n", section.indexOf("- **V"))));
        while (m.find()) {
            named.add(Integer.parseInt(m.group(1)));
        }
        assertThat("the migrations the runbook names, against those that drop, rewrite or tighten", named,
                equalTo(unsafe));
    }

    @Test
    void theRunbooksTableHasARowForEveryMigration() throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> list = Files.list(MIGRATIONS)) {
            list.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .forEach(n -> files.add(n.substring(0, n.indexOf("__")) + " `" + n.substring(n.indexOf("__") + 2,
                            n.length() - ".sql".length()) + "`"));
        }
        String runbook = Files.readString(Path.of("docs", "operations.md"));
        Set<String> rows = new TreeSet<>();
        Matcher m = ROW.matcher(runbook);
        while (m.find()) {
            rows.add(m.group(1));
        }
        assertThat("a row of the runbook's migration table (| V<n> `<name>` | …) for each file, and no other", rows,
                equalTo(files));
    }
}
