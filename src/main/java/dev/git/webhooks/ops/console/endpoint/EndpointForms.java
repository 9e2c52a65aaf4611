package dev.git.webhooks.ops.console.endpoint;

import java.util.List;

import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.delivery.DeliveryConfig;
import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.ops.console.Done;
import dev.git.webhooks.ops.console.Pages;
import dev.git.webhooks.ops.console.Problems;
import dev.git.webhooks.ops.health.EndpointStatus;
import dev.git.webhooks.ops.health.HealthQueries;
import dev.git.webhooks.subscription.WebhookEndpoint;
import dev.git.webhooks.subscription.WebhookEndpoints;
import dev.git.webhooks.subscription.WebhookView;
import dev.git.webhooks.subscription.request.RotateSecret;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * A customer creates and changes its endpoints here, and rotates their signing secret, through the same service
 * as {@code POST/PATCH /v2/webhooks} and {@code rotate-secret}. The console never shows a secret, so the customer
 * types the secret in (made with the command the form shows): it goes to the service and never comes back into a
 * page, not even into the form after a mistake. Operators' keys change no endpoint (as in the API).
 */
@Path("/console/endpoints")
public class EndpointForms {

    /** The grace periods offered when rotating: how long the old secret keeps signing as well. */
    static final List<Long> GRACE_SECONDS = List.of(0L, 3600L, 86_400L, 604_800L);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance form(Chrome chrome, EndpointStatus e, EndpointForm form, Problems problems,
                int defaultConcurrency);

        static native TemplateInstance rotate(Chrome chrome, EndpointStatus e, long grace, Problems problems);
    }

    private final Pages pages;
    private final WebhookEndpoints endpoints;
    private final HealthQueries health;
    private final CallerContext caller;

    private final int defaultConcurrency;
    /** The API's JSON reader (strict: no trailing content, no duplicate keys), for the filter's box. */
    private final ObjectMapper reader;

    public EndpointForms(Pages pages, WebhookEndpoints endpoints, HealthQueries health, CallerContext caller,
            DeliveryConfig delivery, ObjectMapper reader) {
        this.defaultConcurrency = delivery.maxInFlightPerEndpoint();
        this.reader = reader;
        this.pages = pages;
        this.endpoints = endpoints;
        this.health = health;
        this.caller = caller;
    }

    @GET
    @Path("/new")
    public Response newForm() {
        return pages.page(() -> {
            pages.requireOwner(Scope.WEBHOOKS_WRITE);
            return form(pages.chrome("New endpoint", "endpoints", null), null, EndpointForm.blank(),
                    Problems.NONE);
        });
    }

    @POST
    public Response create(@FormParam("url") String url, @FormParam("description") String description,
            @FormParam("events") List<String> events, @FormParam("repos") String repos,
            @FormParam("max_concurrency") String maxConcurrency, @FormParam("rate_limit") String rateLimit,
            @FormParam("ordering") String ordering, @FormParam("signature_schemes") String schemes,
            @FormParam("verify_ownership") List<String> verifyOwnership, @FormParam("headers") String headers,
            @FormParam("secret_headers") String secretHeaders, @FormParam("filter") String filter,
            @FormParam("secret") String secret, @FormParam("_csrf") String csrf) {
        EndpointForm form = EndpointForm.of(url, description, events, repos, maxConcurrency, rateLimit, ordering,
                schemes, verifyOwnership, new EndpointForm.Controls(headers, secretHeaders, true, filter));
        return pages.action(csrf, () -> {
            pages.requireOwner(Scope.WEBHOOKS_WRITE);
            if (secret == null || secret.isBlank()) {
                throw ApiException.invalid("secret", "is required here: the console never shows a secret, so type "
                        + "in one you made (the command is below the field)");
            }
            WebhookEndpoint created = endpoints.create(caller.owner(), form.create(secret.trim(), reader)).endpoint();
            boolean checking = created.ownershipState != null;
            return Done.created("/console/endpoints/" + created.id + "?notice=" + (checking ? "created-checking"
                    : "created"), "Created " + created.id + (checking ? "; its ownership check is under way" : ""));
        }, problems -> form(pages.chrome("New endpoint", "endpoints", null), null, form.shownAgain(EndpointForm.blank()),
                problems));
    }

    @GET
    @Path("/{id}/edit")
    public Response editForm(@PathParam("id") String id) {
        return pages.page(() -> {
            pages.requireOwner(Scope.WEBHOOKS_WRITE);
            EndpointStatus e = health.statusOf(caller.owner(), id);
            EndpointForm form = EndpointForm.of(WebhookView.of(endpoints.get(caller.owner(), id)));
            return form(pages.chrome("Edit " + e.label(), "endpoints", null), e, form, Problems.NONE);
        });
    }

    @POST
    @Path("/{id}")
    public Response update(@PathParam("id") String id, @FormParam("url") String url,
            @FormParam("description") String description, @FormParam("events") List<String> events,
            @FormParam("repos") String repos, @FormParam("max_concurrency") String maxConcurrency,
            @FormParam("rate_limit") String rateLimit, @FormParam("ordering") String ordering,
            @FormParam("signature_schemes") String schemes, @FormParam("verify_ownership") List<String> verifyOwnership,
            @FormParam("headers") String headers, @FormParam("secret_headers") String secretHeaders,
            @FormParam("replace_headers") String replaceHeaders, @FormParam("filter") String filter,
            @FormParam("_csrf") String csrf) {
        EndpointForm form = EndpointForm.of(url, description, events, repos, maxConcurrency, rateLimit, ordering,
                schemes, verifyOwnership, new EndpointForm.Controls(headers, secretHeaders, "true".equals(
                        replaceHeaders), filter));
        return pages.action(csrf, () -> {
            pages.requireOwner(Scope.WEBHOOKS_WRITE);
            endpoints.update(caller.owner(), id, form.update(reader));
            return Done.ok("/console/endpoints/" + id + "?notice=updated", "Saved");
        }, problems -> form(pages.chrome("Edit endpoint", "endpoints", null), health.statusOf(caller.owner(), id),
                form.shownAgain(EndpointForm.of(WebhookView.of(endpoints.get(caller.owner(), id)))), problems));
    }

    @GET
    @Path("/{id}/rotate")
    public Response rotateForm(@PathParam("id") String id) {
        return pages.page(() -> {
            pages.requireOwner(Scope.WEBHOOKS_WRITE);
            EndpointStatus e = health.statusOf(caller.owner(), id);
            return Templates.rotate(pages.chrome("Rotate the secret of " + e.label(), "endpoints", null), e,
                    86_400L, Problems.NONE);
        });
    }

    @POST
    @Path("/{id}/rotate")
    public Response rotate(@PathParam("id") String id, @FormParam("secret") String secret,
            @FormParam("grace_period_seconds") Long grace, @FormParam("_csrf") String csrf) {
        long kept = grace == null || !GRACE_SECONDS.contains(grace) ? 86_400L : grace;
        return pages.action(csrf, () -> {
            pages.requireOwner(Scope.WEBHOOKS_WRITE);
            if (secret == null || secret.isBlank()) {
                throw ApiException.invalid("secret", "is required: type in the new secret your receiver will trust "
                        + "(the console never shows one)");
            }
            endpoints.rotate(caller.owner(), id, new RotateSecret(kept, secret.trim()));
            return Done.ok("/console/endpoints/" + id + "?notice=rotated", "Rotated the signing secret");
        }, problems -> Templates.rotate(pages.chrome("Rotate the secret", "endpoints", null),
                health.statusOf(caller.owner(), id), kept, problems));
    }

    private TemplateInstance form(Chrome chrome, EndpointStatus e, EndpointForm form, Problems problems) {
        return Templates.form(chrome, e, form, problems, defaultConcurrency);
    }
}
