package dev.git.webhooks.ops.console;

import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.api.auth.Caller;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.common.Ids;
import dev.git.webhooks.common.Refusal;
import dev.git.webhooks.ops.audit.AuditContext;
import dev.git.webhooks.ops.console.session.ConsoleSession;
import dev.git.webhooks.ops.console.session.Sessions;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * What every console page shares: the chrome around it, the error pages, and the shapes of a handler. A page
 * renders, or answers an error page with the status the API would have answered; a form that was filled in wrong
 * renders again with what was typed and the problems next to their fields; an action checks the form's CSRF token,
 * acts, records its outcome for the audit log and redirects (303) to the page that shows the result. Nothing here
 * shows an exception's text unless it was written for people.
 */
@ApplicationScoped
public class Pages {

    private static final Logger LOG = Logger.getLogger(Pages.class);
    private static final String FORM_REFUSED = "This form did not come from your console session (its CSRF token "
            + "is missing or wrong). Reload the page and try again.";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(Chrome chrome, String message, String csrf);

        static native TemplateInstance error(Chrome chrome, int status, String heading, String message);
    }

    private final ConsoleSession session;
    private final Sessions sessions;
    private final AuditContext audit;

    public Pages(ConsoleSession session, Sessions sessions, AuditContext audit) {
        this.session = session;
        this.sessions = sessions;
        this.audit = audit;
    }

    /** The chrome of a page of the signed-in session. */
    public Chrome chrome(String title, String section, String notice) {
        Caller caller = session.caller();
        return new Chrome(title, section, session.who(), caller.operator(), session.csrf(), can(caller),
                Chrome.notice(notice));
    }

    private static Chrome.Can can(Caller caller) {
        boolean replay = allowed(caller, Scope.DELIVERIES_REPLAY, Scope.OPS_REPLAY);
        boolean enable = allowed(caller, Scope.WEBHOOKS_WRITE, Scope.OPS_REPLAY);
        return new Chrome.Can(!caller.operator() && caller.scopes().contains(Scope.WEBHOOKS_WRITE), enable, replay);
    }

    private static boolean allowed(Caller caller, Scope scope, Scope operator) {
        return caller.scopes().contains(caller.operator() ? operator : scope);
    }

    /** Refuses the page unless the key may read or act as {@code scope} (operators: {@code operator}). */
    public void require(Scope scope, Scope operator) {
        CallerContext.authorize(session.caller(), scope, operator);
    }

    /** Refuses the page unless the key is an owner's with {@code scope}: operators do not change endpoints. */
    public void requireOwner(Scope scope) {
        CallerContext.authorize(session.caller(), scope);
    }

    public void operatorsOnly() {
        if (!session.caller().operator()) {
            throw new ApiException(403, "forbidden", "This page is for operators.");
        }
    }

    public Response page(Supplier<TemplateInstance> page) {
        return page(page, null);
    }

    /**
     * A page whose query can be wrong (a list's filters): a 400 renders {@code withProblems} (the same page, with
     * the form as typed and no rows) instead of an error page that loses the form.
     */
    public Response page(Supplier<TemplateInstance> page, Function<Problems, TemplateInstance> withProblems) {
        try {
            return html(200, page.get());
        } catch (ApiException e) {
            return problems(e, withProblems);
        } catch (Refusal e) {
            return failure(ApiException.of(e));
        } catch (RuntimeException e) {
            return unexpected(e);
        }
    }

    public Response action(String csrf, Supplier<Done> action) {
        return action(csrf, action, null);
    }

    /**
     * A form that changes something: checked, done, audited with its outcome, redirected. A form filled in wrong
     * renders {@code withProblems} again (what was typed, the problems by field) and changes nothing.
     */
    public Response action(String csrf, Supplier<Done> action, Function<Problems, TemplateInstance> withProblems) {
        if (!session.csrfMatches(csrf)) {
            return error(403, "Form refused", FORM_REFUSED);
        }
        try {
            Done done = action.get();
            audit.outcome(done.status(), done.outcome());
            return Response.seeOther(done.next()).build();
        } catch (ApiException e) {
            return problems(e, withProblems);
        } catch (Refusal e) {
            return failure(ApiException.of(e));
        } catch (RuntimeException e) {
            return unexpected(e);
        }
    }

    /** A form that answers with a page (a dry run's preview): checked like an action, rendered like a page. */
    public Response form(String csrf, Supplier<TemplateInstance> page, Function<Problems, TemplateInstance> withProblems) {
        if (!session.csrfMatches(csrf)) {
            return error(403, "Form refused", FORM_REFUSED);
        }
        return page(page, withProblems);
    }

    public Response error(int status, String heading, String message) {
        Chrome chrome = session.caller() == null ? anonymous(heading) : chrome(heading, "", null);
        return html(status, Templates.error(chrome, status, heading, message));
    }

    /** The sign-in page again, with a reason, and the session cookie cleared. */
    public Response signInAgain(int status, String message) {
        String nonce = Ids.random(22);
        return Response.fromResponse(html(status, Templates.login(anonymous("Sign in"), message,
                sessions.codec().csrfToken(nonce))))
                .cookie(sessions.preSession(nonce), sessions.cleared(Sessions.COOKIE)).build();
    }

    public static Chrome anonymous(String title) {
        return new Chrome(title, "", null, false, null, Chrome.Can.NOTHING, null);
    }

    public static Response html(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page).build();
    }

    private Response problems(ApiException e, Function<Problems, TemplateInstance> withProblems) {
        if (e.status() == 400 && withProblems != null) {
            audit.outcome(e.getMessage());
            try {
                return html(400, withProblems.apply(Problems.of(e)));
            } catch (ApiException again) { // the form's page itself cannot be shown: an endpoint not found, say
                return failure(again);
            } catch (Refusal again) {
                return failure(ApiException.of(again));
            } catch (RuntimeException again) {
                return unexpected(again);
            }
        }
        return failure(e);
    }

    private Response failure(ApiException e) {
        audit.outcome(e.getMessage());
        String heading = switch (e.status()) {
            case 404 -> "Not found";
            case 403 -> "Not allowed";
            case 409 -> "Not possible now";
            case 400 -> "Check the form";
            default -> "Something went wrong";
        };
        return error(e.status(), heading, e.getMessage());
    }

    private Response unexpected(RuntimeException e) {
        LOG.error("Console page failed", e);
        return error(500, "Something went wrong", "Something went wrong on our side; try again.");
    }
}
