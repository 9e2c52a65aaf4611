package dev.git.webhooks.ops.console.endpoint;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.api.body.Patch;
import dev.git.webhooks.subscription.EventTypes;
import dev.git.webhooks.subscription.WebhookView;
import dev.git.webhooks.subscription.request.CreateWebhook;
import dev.git.webhooks.subscription.request.EndpointFilter;
import dev.git.webhooks.subscription.request.EndpointHeader;
import dev.git.webhooks.subscription.request.EndpointOrdering;
import dev.git.webhooks.subscription.request.UpdateWebhook;
import io.quarkus.qute.TemplateData;

/**
 * The endpoint form as typed: what the page fills in again when it has problems. Repositories are typed one a line
 * (or separated by commas); none means every repository. The secret is never part of it: a page never shows one.
 * The delivery controls (SPEC §12): {@code maxConcurrency} and {@code rateLimit} (blank: the default, no limit), the
 * ordering key (blank: none); the headers one a line ({@code Name: value}), those whose values are secret in a box of
 * their own that is never filled in again, so that an edit changes the headers only when {@code replaceHeaders} is
 * ticked (the whole list then, secret values typed again, as a PATCH does); the filter as the API's JSON (blank:
 * none). A form without the headers' or the filter's fields leaves them as they are. The signature schemes
 * (SPEC §13) are one choice of three ({@code v1}, {@code v1,v1a}, {@code v1a}; blank: as they are, or v1 on create),
 * and the ownership check a checkbox ({@code verifyOwnership} null: the form did not say, so it stays).
 * {@code secretHeaderNames} are the names of the endpoint's secret headers as it is (shown, never their values).
 */
@TemplateData
public record EndpointForm(String url, String description, List<String> events, String repos, String maxConcurrency,
        String rateLimit, String ordering, String signatureSchemes, Boolean verifyOwnership, String headers,
        String secretHeaders, boolean replaceHeaders, String filter, List<String> secretHeaderNames) {

    /** Writes the endpoint's filter into its box (the form reads it back with the API's reader). */
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The event types offered, platform types first, then the wildcard, then the service's own notices. */
    public static final List<String> PLATFORM = EventTypes.ALL;
    public static final List<String> SYSTEM = EventTypes.SYSTEM;

    static EndpointForm blank() {
        return new EndpointForm("", "", List.of(EventTypes.WILDCARD), "", "", "", "", "v1", false, "", "", true, "",
                List.of());
    }

    /**
     * The form as posted. {@code verifyOwnership} comes from a hidden {@code false} followed by the checkbox's
     * {@code true}: both when it is ticked, the hidden one alone when not, nothing from a form without the field.
     */
    static EndpointForm of(String url, String description, List<String> events, String repos,
            String maxConcurrency, String rateLimit, String ordering, String signatureSchemes,
            List<String> verifyOwnership, Controls controls) {
        return new EndpointForm(trim(url), description == null ? "" : description.trim(),
                events == null ? List.of() : events, repos == null ? "" : repos, trim(maxConcurrency),
                trim(rateLimit), trim(ordering), trim(signatureSchemes),
                verifyOwnership == null || verifyOwnership.isEmpty() ? null : verifyOwnership.contains("true"),
                controls.headers(), controls.secretHeaders(), controls.replaceHeaders(), controls.filter(),
                List.of());
    }

    /**
     * The headers and the filter as posted: {@code headers} and {@code filter} null when the form had no such field
     * (they then stay as they are); {@code replaceHeaders} whether the box to replace them was ticked (a new
     * endpoint's form has none: its headers are always taken).
     */
    record Controls(String headers, String secretHeaders, boolean replaceHeaders, String filter) {
    }

    /** The form of an endpoint as it is. */
    static EndpointForm of(WebhookView e) {
        return new EndpointForm(e.url(), e.description() == null ? "" : e.description(), e.events(),
                e.repos() == null ? "" : String.join("\n", e.repos()),
                e.maxConcurrency() == null ? "" : e.maxConcurrency().toString(),
                e.rateLimit() == null ? "" : e.rateLimit().toString(), e.ordering() == null ? "" : e.ordering().key(),
                String.join(",", e.signatureSchemes()), e.verifyOwnership(),
                e.headers() == null ? "" : String.join("\n", e.headers().stream().filter(h -> !h.isSecret())
                        .map(h -> h.name() + ": " + h.value()).toList()),
                "", false, e.filter() == null ? "" : json(e.filter()),
                e.headers() == null ? List.of() : e.headers().stream().filter(EndpointHeader::isSecret)
                        .map(EndpointHeader::name).toList());
    }

    private static String json(EndpointFilter filter) {
        try {
            return JSON.writeValueAsString(filter);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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

    /** The form as a new endpoint; {@code reader} reads the filter's JSON as the API does. */
    CreateWebhook create(String secret, ObjectMapper reader) {
        return new CreateWebhook(url, events, repoList(), blankToNull(description), true, secret,
                number("max_concurrency", maxConcurrency), number("rate_limit", rateLimit),
                ControlFields.headers(headers, secretHeaders), ControlFields.filter(filter, reader), orderingValue(),
                schemeList(), verifyOwnership, null, null);
    }

    /**
     * The fields of the form; the delivery authentication stays as it is, and so do the headers unless the box to
     * replace them was ticked, and the filter, the schemes and the ownership check when the form did not send them.
     */
    UpdateWebhook update(ObjectMapper reader) {
        List<String> schemes = schemeList();
        return new UpdateWebhook(Patch.ofNullable(url), Patch.ofNullable(events), Patch.ofNullable(repoList()),
                Patch.ofNullable(blankToNull(description)), Patch.absent(),
                Patch.ofNullable(number("max_concurrency", maxConcurrency)),
                Patch.ofNullable(number("rate_limit", rateLimit)),
                headers == null || !replaceHeaders ? Patch.absent()
                        : Patch.ofNullable(ControlFields.headers(headers, secretHeaders)),
                filter == null ? Patch.absent() : Patch.ofNullable(ControlFields.filter(filter, reader)),
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

    /**
     * The form to show again after a problem: the secret headers' box emptied (a page never shows a secret, typed or
     * stored), the names of the endpoint's secret headers as it is ({@code asItIs}: the blank form for a new one),
     * which the edit page warns of, and its headers and filter where the post had no such field (the page's boxes
     * then hold what is, so that sending it again changes nothing there).
     */
    EndpointForm shownAgain(EndpointForm asItIs) {
        return new EndpointForm(url, description, events, repos, maxConcurrency, rateLimit, ordering, signatureSchemes,
                verifyOwnership, headers != null ? headers : asItIs.headers, "", replaceHeaders,
                filter != null ? filter : asItIs.filter, asItIs.secretHeaderNames);
    }

    /** Whether the endpoint as it is has secret headers (the edit form says their names, never their values). */
    public boolean hasSecretHeaders() {
        return !secretHeaderNames.isEmpty();
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
