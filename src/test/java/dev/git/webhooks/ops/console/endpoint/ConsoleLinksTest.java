package dev.git.webhooks.ops.console.endpoint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.ops.console.Problems;
import dev.git.webhooks.ops.health.EndpointStatus;
import dev.git.webhooks.ops.health.Verdict;
import dev.git.webhooks.outbox.ActivityViews.Activity;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Links that carry what a user typed. Owner names cannot hold a character that needs encoding today, so the browser
 * test cannot reach this one; the template is rendered directly.
 */
@QuarkusTest
class ConsoleLinksTest {

    @Test
    void theEndpointsOlderLinkCarriesItsFiltersEncoded() {
        Chrome chrome = new Chrome("Endpoints", "endpoints", "ops", true, "csrf", Chrome.Can.NOTHING, null);
        Activity none = new Activity(0, 0, null, null, null, null, false, null, null, 0, 0, null, null);
        EndpointStatus row = new EndpointStatus("wh_1", "acme", "https://example.com/hook", null, List.of("*"), null,
                "enabled", true, null, null, Instant.now(), null, "closed", none,
                new Verdict("idle", "No deliveries yet", "No event was delivered to it yet.", null), false);
        String html = EndpointPages.Templates.endpoints(chrome, List.of(row),
                new EndpointPages.Filter("a&b c+d#e", "auto_disabled"), "MTIz=", Problems.NONE).render();
        assertThat(html, containsString(
                "href=\"/console/endpoints?cursor=MTIz%3D&owner=a%26b+c%2Bd%23e&state=auto_disabled\""));
    }
}
