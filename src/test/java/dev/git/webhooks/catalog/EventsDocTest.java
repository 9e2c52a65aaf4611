package dev.git.webhooks.catalog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * docs/events.md shows the catalog as the API serves it: its generated part must equal what {@link EventsDoc}
 * renders from catalog/event-types.json. With {@code -Dwebhooks.docs.write=true} the test writes it instead.
 */
class EventsDocTest {

    private static final Path DOC = Path.of("docs", "events.md");

    @Test
    void eventsDocShowsTheCatalog() throws Exception {
        String doc = Files.readString(DOC);
        int begin = doc.indexOf(EventsDoc.BEGIN);
        int end = doc.indexOf(EventsDoc.END);
        assertThat("docs/events.md has the generated block", begin >= 0 && end > begin, equalTo(true));
        String rendered = EventsDoc.render(new EventCatalog().all());
        String current = doc.substring(begin, end + EventsDoc.END.length());
        if (Boolean.getBoolean("webhooks.docs.write")) {
            Files.writeString(DOC, doc.substring(0, begin) + rendered + doc.substring(end + EventsDoc.END.length()));
            current = rendered;
        }
        assertThat("docs/events.md is out of date with the catalog; regenerate it: "
                + "./mvnw test -Dtest=EventsDocTest -Dwebhooks.docs.write=true", current, equalTo(rendered));
    }

    @Test
    void generatedBlockNamesEveryTypeWithItsSchema() {
        String rendered = EventsDoc.render(new EventCatalog().all());
        for (EventType type : new EventCatalog().all()) {
            assertThat(rendered, containsString("\n### `" + type.name() + "`\n"));
        }
        assertThat(rendered, containsString("| `commits[].id` | string | yes | The commit id. |"));
        assertThat(rendered, containsString("| `reason` | string: `gone`, `failing`, `operator`, `owner` | yes |"));
        assertThat(rendered, containsString("| `last_status` | integer or null | yes |"));
    }
}
