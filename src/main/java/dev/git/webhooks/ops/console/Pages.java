package dev.git.webhooks.ops.console;

import java.net.URI;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.common.Refusal;
import dev.git.webhooks.ops.console.session.ConsoleSession;
import dev.git.webhooks.ops.console.session.Sessions;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * What every console page shares: the chrome around it, the error pages, and the two shapes of a handler. A page
 * renders, or answers an error page with the status the API would have answered; an action checks the form's CSRF
 * token, acts, and redirects (303) to the page that shows the result. Nothing here shows an exception's text.
 */
@ApplicationScoped
public class Pages {

    private static final Logger LOG = Logger.getLogger(Pages.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(Chrome chrome, String message, String csrf);

        static native TemplateInstance error(Chrome chrome, int status, String heading, String message);
    }

    private final ConsoleSession session;
    private final Sessions sessions;

    public Pages(ConsoleSession session, Sessions sessions) {
        this.session = session;
        this.sessions = sessions;
    }

    /** The chrome of a page of the signed-in session. */
    public Chrome chrome(String title, String section, String notice, int refreshSeconds) {
        return new Chrome(title, section, session.who(), session.caller().operator(), session.csrf(),
                notice == null ? null : Chrome.NOTICES.get(notice), refreshSeconds);
    }

    /** Refuses the page unless the key may read or act as {@code scope} (operators: {@code operator}). */
    public void require(Scope scope, Scope operator) {
        dev.git.webhooks.api.auth.CallerContext.authorize(session.caller(), scope, operator);
    }

    public void operatorsOnly() {
        if (!session.caller().operator()) {
            throw new ApiException(403, "forbidden", "This page is for operators.");
        }
    }

    public Response page(Supplier<TemplateInstance> page) {
        try {
            return html(200, page.get());
        } catch (ApiException e) {
            return failure(e);
        } catch (Refusal e) {
            return failure(ApiException.of(e));
        } catch (RuntimeException e) {
            return unexpected(e);
        }
    }

    public Response action(String csrf, Supplier<URI> action) {
        if (!session.csrfMatches(csrf)) {
            return error(403, "Form refused", "This form did not come from your console session (its CSRF token "
                    + "is missing or wrong). Reload the page and try again.");
        }
        try {
            return Response.seeOther(action.get()).build();
        } catch (ApiException e) {
            return failure(e);
        } catch (Refusal e) {
            return failure(ApiException.of(e));
        } catch (RuntimeException e) {
            return unexpected(e);
        }
    }

    /** A form that answers with a page (a dry run's preview): checked like an action, rendered like a page. */
    public Response form(String csrf, Supplier<TemplateInstance> page) {
        if (!session.csrfMatches(csrf)) {
            return error(403, "Form refused", "This form did not come from your console session (its CSRF token "
                    + "is missing or wrong). Reload the page and try again.");
        }
        return page(page);
    }

    public Response error(int status, String heading, String message) {
        Chrome chrome = session.caller() == null ? anonymous(heading) : chrome(heading, "", null, 0);
        return html(status, Templates.error(chrome, status, heading, message));
    }

    /** The sign-in page again, with a reason, and the session cookie cleared. */
    public Response signInAgain(int status, String message) {
        String nonce = dev.git.webhooks.common.Ids.random(22);
        return Response.fromResponse(html(status, Templates.login(anonymous("Sign in"), message,
                sessions.codec().csrfToken(nonce))))
                .cookie(sessions.preSession(nonce), sessions.cleared(Sessions.COOKIE)).build();
    }

    public static Chrome anonymous(String title) {
        return new Chrome(title, "", null, false, null, null, 0);
    }

    public static Response html(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page).build();
    }

    private Response failure(ApiException e) {
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
