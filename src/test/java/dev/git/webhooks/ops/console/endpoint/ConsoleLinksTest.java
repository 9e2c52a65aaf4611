package dev.git.webhooks.ops.console.endpoint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.ops.health.EndpointHealth;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Links that carry what a user typed. Owner names cannot hold a character that needs encoding today, so the browser
 * test cannot reach this one; the template is rendered directly.
 */
@QuarkusTest
class ConsoleLinksTest {

    @Test
    void theEndpointsOlderLinkCarriesItsFiltersEncoded() {
        Chrome chrome = new Chrome("Endpoints", "endpoints", "ops", true, "csrf", null, 0);
        EndpointHealth row = new EndpointHealth("wh_1", "acme", "https://example.com/hook", "enabled", true, null,
                null, "closed", 0, null, null, null, null, 0, null);
        String html = EndpointPages.Templates.endpoints(chrome, List.of(row), "a&b c+d#e", "auto_disabled", "MTIz=")
                .render();
        assertThat(html, containsString(
                "href=\"/console/endpoints?cursor=MTIz%3D&owner=a%26b+c%2Bd%23e&state=auto_disabled\""));
    }
}
