package dev.git.webhooks.docs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every shell variable that a command of the docs uses is said before: named in the text ({@code `$BASE`: the
 * service's address}) or assigned in a command ({@code WH=wh_…}). A reader who copies a command knows what to put
 * in each.
 */
class ShellVariablesDocTest {

    private static final Pattern FENCE = Pattern.compile("\\s*```(\\w*).*");
    private static final Pattern ASSIGNED = Pattern.compile("(?:^|[\\s;(&|])(?:export\\s+)?([A-Za-z_]\\w*)=");
    private static final Pattern LOOP = Pattern.compile("\\bfor\\s+([A-Za-z_]\\w*)\\s+in\\b");
    private static final Pattern USED = Pattern.compile("\\$\\{?([A-Za-z_]\\w*)");
    private static final Pattern NAMED = Pattern.compile("`\\$([A-Za-z_]\\w*)`");
    private static final Set<String> SHELL = Set.of("sh", "bash", "shell", "console");
    private static final Set<String> ENVIRONMENT = Set.of("HOME", "PATH", "PWD", "USER");

    @Test
    void everyVariableACommandUsesIsSaidBefore() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<String> undefined = new ArrayList<>();
        for (Path doc : docs) {
            undefined.addAll(undefined(doc));
        }
        assertThat("variables used in commands before the text says what they hold", undefined, empty());
    }

    private static List<String> undefined(Path doc) throws IOException {
        List<String> undefined = new ArrayList<>();
        Set<String> known = new HashSet<>(ENVIRONMENT);
        boolean block = false;
        boolean shell = false;
        List<String> lines = Files.readAllLines(doc);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                shell = !block && SHELL.contains(fence.group(1));
                block = !block;
                continue;
            }
            if (!block) {
                collect(NAMED, line, known);
                continue;
            }
            if (!shell) {
                continue;
            }
            collect(ASSIGNED, line, known);
            collect(LOOP, line, known);
            String code = line.stripLeading().startsWith("#") ? "" : line.split(" #", 2)[0];
            Matcher used = USED.matcher(code);
            while (used.find()) {
                if (known.add(used.group(1))) {
                    undefined.add(doc + ":" + (i + 1) + " $" + used.group(1));
                }
            }
        }
        return undefined;
    }

    private static void collect(Pattern pattern, String line, Set<String> into) {
        Matcher m = pattern.matcher(line);
        while (m.find()) {
            into.add(m.group(1));
        }
    }
}
