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
 * default, no limit) and the ordering key (blank: none); headers and filters are set through the API. The signature
 * schemes (SPEC §13) are one choice of three ({@code v1}, {@code v1,v1a}, {@code v1a}; blank: as they are, or v1 on
 * create), and the ownership check a checkbox ({@code verifyOwnership} null: the form did not say, so it stays).
 */
@TemplateData
public record EndpointForm(String url, String description, List<String> events, String repos, String maxConcurrency,
        String rateLimit, String ordering, String signatureSchemes, Boolean verifyOwnership) {

    /** The event types offered, platform types first, then the wildcard, then the service's own notices. */
    public static final List<String> PLATFORM = EventTypes.ALL;
    public static final List<String> SYSTEM = EventTypes.SYSTEM;

    static EndpointForm blank() {
        return new EndpointForm("", "", List.of(EventTypes.WILDCARD), "", "", "", "", "v1", false);
    }

    /**
     * The form as posted. {@code verifyOwnership} comes from a hidden {@code false} followed by the checkbox's
     * {@code true}: both when it is ticked, the hidden one alone when not, nothing from a form without the field.
     */
    static EndpointForm of(String url, String description, List<String> events, String repos,
            String maxConcurrency, String rateLimit, String ordering, String signatureSchemes,
            List<String> verifyOwnership) {
        return new EndpointForm(trim(url), description == null ? "" : description.trim(),
                events == null ? List.of() : events, repos == null ? "" : repos, trim(maxConcurrency),
                trim(rateLimit), trim(ordering), trim(signatureSchemes),
                verifyOwnership == null || verifyOwnership.isEmpty() ? null : verifyOwnership.contains("true"));
    }

    /** The form of an endpoint as it is. */
    static EndpointForm of(WebhookView e) {
        return new EndpointForm(e.url(), e.description() == null ? "" : e.description(), e.events(),
                e.repos() == null ? "" : String.join("\n", e.repos()),
                e.maxConcurrency() == null ? "" : e.maxConcurrency().toString(),
                e.rateLimit() == null ? "" : e.rateLimit().toString(), e.ordering() == null ? "" : e.ordering().key(),
                String.join(",", e.signatureSchemes()), e.verifyOwnership());
    }

    /** Whether the ownership box is ticked: as posted, else off. */
    public boolean checksOwnership() {
        return Boolean.TRUE.equals(verifyOwnership);
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
                orderingValue(), schemeList(), verifyOwnership, null, null);
    }

    /**
     * The fields of the form; the headers, filter and delivery authentication stay as they are, and so do the
     * schemes and the ownership check when the form did not send them.
     */
    UpdateWebhook update() {
        List<String> schemes = schemeList();
        return new UpdateWebhook(Patch.ofNullable(url), Patch.ofNullable(events), Patch.ofNullable(repoList()),
                Patch.ofNullable(blankToNull(description)), Patch.absent(),
                Patch.ofNullable(number("max_concurrency", maxConcurrency)),
                Patch.ofNullable(number("rate_limit", rateLimit)), Patch.absent(), Patch.absent(),
                Patch.ofNullable(orderingValue()), schemes == null ? Patch.absent() : Patch.ofNullable(schemes),
                verifyOwnership == null ? Patch.absent() : Patch.ofNullable(verifyOwnership), Patch.absent(),
                Patch.absent());
    }

    /** The schemes chosen ("v1,v1a" as [v1, v1a]), for the service to check; null when none was sent. */
    List<String> schemeList() {
        if (signatureSchemes == null || signatureSchemes.isBlank()) {
            return null;
        }
        return Arrays.stream(signatureSchemes.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
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
