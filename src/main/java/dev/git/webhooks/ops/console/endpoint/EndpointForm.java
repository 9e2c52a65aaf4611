package dev.git.webhooks.ops.console.endpoint;

import java.util.Arrays;
import java.util.List;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.api.body.Patch;
import dev.git.webhooks.subscription.EventTypes;
import dev.git.webhooks.subscription.WebhookView;
import dev.git.webhooks.subscription.request.CreateWebhook;
import dev.git.webhooks.subscription.request.EndpointOrdering;
import dev.git.webhooks.subscription.request.UpdateWebhook;
import io.quarkus.qute.TemplateData;

/**
 * The endpoint form as typed: what the page fills in again when it has problems. Repositories are typed one a line
 * (or separated by commas); none means every repository. The secret is never part of it: a page never shows one.
 * The delivery controls that fit a form field (SPEC §12): {@code maxConcurrency} and {@code rateLimit} (blank: the
 * default, no limit) and the ordering key (blank: none); headers and filters are set through the API.
 */
@TemplateData
public record EndpointForm(String url, String description, List<String> events, String repos, String maxConcurrency,
        String rateLimit, String ordering) {

    /** The event types offered, platform types first, then the wildcard, then the service's own notices. */
    public static final List<String> PLATFORM = EventTypes.ALL;
    public static final List<String> SYSTEM = EventTypes.SYSTEM;

    static EndpointForm blank() {
        return new EndpointForm("", "", List.of(EventTypes.WILDCARD), "", "", "", "");
    }

    static EndpointForm of(String url, String description, List<String> events, String repos,
            String maxConcurrency, String rateLimit, String ordering) {
        return new EndpointForm(trim(url), description == null ? "" : description.trim(),
                events == null ? List.of() : events, repos == null ? "" : repos, trim(maxConcurrency),
                trim(rateLimit), trim(ordering));
    }

    /** The form of an endpoint as it is. */
    static EndpointForm of(WebhookView e) {
        return of(e.url(), e.description(), e.events(), e.repos() == null ? "" : String.join("\n", e.repos()),
                e.maxConcurrency() == null ? "" : e.maxConcurrency().toString(),
                e.rateLimit() == null ? "" : e.rateLimit().toString(), e.ordering() == null ? "" : e.ordering().key());
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
        return new CreateWebhook(url, events, repoList(), blankToNull(description), true, secret,
                number("max_concurrency", maxConcurrency), number("rate_limit", rateLimit), null, null,
                orderingValue());
    }

    /** The fields of the form; the headers and filter stay as they are. */
    UpdateWebhook update() {
        return new UpdateWebhook(Patch.ofNullable(url), Patch.ofNullable(events), Patch.ofNullable(repoList()),
                Patch.ofNullable(blankToNull(description)), Patch.absent(),
                Patch.ofNullable(number("max_concurrency", maxConcurrency)),
                Patch.ofNullable(number("rate_limit", rateLimit)), Patch.absent(), Patch.absent(),
                Patch.ofNullable(orderingValue()));
    }

    private EndpointOrdering orderingValue() {
        return ordering.isBlank() || ordering.equals("none") ? null : new EndpointOrdering(ordering);
    }

    /** A whole number typed in a field, or null when it is blank. */
    private static Integer number(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field, "must be a whole number, or left empty");
        }
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
