package dev.git.webhooks.docs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Dev mode's code (src/dev/java) is an application source root only when the build's goals include
 * {@code quarkus:dev}, and a test source root in every other build, which also deletes the classes that an earlier
 * dev mode left in target/classes (pom.xml, the build helper and the clean plugin). A Maven profile
 * cannot see the goals, so the pom picks the roots with a regex over {@code ${session.goals}}; this test applies
 * those regexes as the build helper does ({@code find}, then {@code replaceAll}) to the goals people type.
 */
class DevOnlySourcesTest {

    private static final String DEV = "src/dev/java";
    private static final Map<String, String> VALUES = new HashMap<>();
    private static Pattern choice;

    @BeforeAll
    static void readThePom() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        Document pom = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        choice = Pattern.compile(text(pom.getDocumentElement(), "properties", "webhooks.dev-sources.choice"));
        NodeList settings = pom.getElementsByTagName("regexPropertySetting");
        for (int i = 0; i < settings.getLength(); i++) {
            Element setting = (Element) settings.item(i);
            assertThat("each root is chosen by the one regex", child(setting, "regex"),
                    equalTo("${webhooks.dev-sources.choice}"));
            assertThat(child(setting, "replacement"), equalTo("$1$2"));
            VALUES.put(child(setting, "name"), child(setting, "value"));
        }
    }

    @Test
    void quarkusDevCompilesTheDevSourcesIntoTheApplication() {
        for (List<String> goals : List.of(List.of("quarkus:dev"), List.of("clean", "quarkus:dev"),
                List.of("compile", "quarkus:dev"), List.of("io.quarkus:quarkus-maven-plugin:3.33.2:dev"))) {
            assertThat(goals.toString(), root("webhooks.dev-sources.main", goals), equalTo(DEV));
            assertThat(goals.toString(), root("webhooks.dev-sources.test", goals), equalTo("src/test/java"));
            assertThat(goals.toString(), root("webhooks.dev-sources.keep-classes", goals), equalTo("true"));
        }
    }

    @Test
    void everyOtherBuildCompilesThemAsTestSourcesOnly() {
        for (List<String> goals : List.of(List.of("verify"), List.of("clean", "verify"), List.of("package"),
                List.of("test"), List.of("install"), List.<String>of(), List.of("quarkus:build"), List.of("quarkus:test"),
                List.of("quarkus:remote-dev"))) {
            assertThat(goals.toString(), root("webhooks.dev-sources.main", goals), equalTo("src/main/java"));
            assertThat(goals.toString(), root("webhooks.dev-sources.test", goals), equalTo(DEV));
            // and the classes that an earlier quarkus:dev left in target/classes are deleted before compiling
            assertThat(goals.toString(), root("webhooks.dev-sources.keep-classes", goals), equalTo("false"));
        }
    }

    /** What the build helper's regex-properties goal sets the property to for these goals. */
    private static String root(String property, List<String> goals) {
        String value = VALUES.get(property).replace("${session.goals}", goals.toString());
        Matcher matcher = choice.matcher(value);
        // without a match the build helper keeps the whole value, which would then be added as a source root
        assertThat("the regex matches " + value, matcher.find(), equalTo(true));
        return matcher.replaceAll("$1$2");
    }

    private static String text(Element root, String parent, String name) {
        Element section = (Element) root.getElementsByTagName(parent).item(0);
        return child(section, name);
    }

    private static String child(Element element, String name) {
        NodeList nodes = element.getElementsByTagName(name);
        return nodes.item(0).getTextContent().trim();
    }
}
