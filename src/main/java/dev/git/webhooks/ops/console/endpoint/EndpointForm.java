package dev.git.webhooks.ops.console.endpoint;

import java.util.Arrays;
import java.util.List;

import dev.git.webhooks.api.body.Patch;
import dev.git.webhooks.subscription.EventTypes;
import dev.git.webhooks.subscription.request.CreateWebhook;
import dev.git.webhooks.subscription.request.UpdateWebhook;
import io.quarkus.qute.TemplateData;

/**
 * The endpoint form as typed: what the page fills in again when it has problems. Repositories are typed one a line
 * (or separated by commas); none means every repository. The secret is never part of it: a page never shows one.
 */
@TemplateData
public record EndpointForm(String url, String description, List<String> events, String repos) {

    /** The event types offered, platform types first, then the wildcard, then the service's own notices. */
    public static final List<String> PLATFORM = EventTypes.ALL;
    public static final List<String> SYSTEM = EventTypes.SYSTEM;

    static EndpointForm blank() {
        return new EndpointForm("", "", List.of(EventTypes.WILDCARD), "");
    }

    static EndpointForm of(String url, String description, List<String> events, String repos) {
        return new EndpointForm(trim(url), description == null ? "" : description.trim(),
                events == null ? List.of() : events, repos == null ? "" : repos);
    }

    public boolean has(String event) {
        return events.contains(event);
    }

    public List<String> platformTypes() {
        return PLATFORM;
    }

    public List<String> systemTypes() {
        return SYSTEM;
    }

    CreateWebhook create(String secret) {
        return new CreateWebhook(url, events, repoList(), blankToNull(description), true, secret);
    }

    UpdateWebhook update() {
        return new UpdateWebhook(Patch.ofNullable(url), Patch.ofNullable(events), Patch.ofNullable(repoList()),
                Patch.ofNullable(blankToNull(description)), Patch.absent());
    }

    /** The repositories typed, or null (every repository) when none was. */
    List<String> repoList() {
        List<String> list = Arrays.stream(repos.split("[,\\s]+")).filter(r -> !r.isBlank()).toList();
        return list.isEmpty() ? null : list;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
