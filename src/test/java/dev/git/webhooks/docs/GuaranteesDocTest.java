package dev.git.webhooks.docs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Every guarantee in docs/architecture.md names the tests that hold it to its word, and those tests exist. */
class GuaranteesDocTest {

    private static final Pattern TEST_CLASS = Pattern.compile("`(\\w+(?:Test|IT))`");

    @Test
    void everyGuaranteeNamesTestsThatExist() throws IOException {
        String doc = Files.readString(Path.of("docs", "architecture.md"));
        String section = doc.substring(doc.indexOf("## Guarantees"), doc.indexOf("\n## ", doc.indexOf("## Guarantees")));
        Set<String> tests = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "test", "java"))) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .forEach(n -> tests.add(n.substring(0, n.length() - ".java".length())));
        }
        List<String> untested = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int rows = 0;
        for (String row : section.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| guarantee")).toList()) {
            rows++;
            String[] cells = row.split("\\|");
            String guarantee = cells[1].strip();
            String testedBy = cells[cells.length - 1].strip();
            Matcher named = TEST_CLASS.matcher(testedBy);
            boolean any = false;
            while (named.find()) {
                any = true;
                if (!tests.contains(named.group(1))) {
                    missing.add(guarantee + ": " + named.group(1));
                }
            }
            if (!any) {
                untested.add(guarantee);
            }
        }
        assertThat("the table has guarantees", rows, greaterThan(5));
        assertThat("guarantees that name no test", untested, empty());
        assertThat("named tests that do not exist", missing, empty());
    }
}
