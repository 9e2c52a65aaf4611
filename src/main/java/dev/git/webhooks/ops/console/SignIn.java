package dev.git.webhooks.ops.console;

import java.net.URI;
import java.util.Optional;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.git.webhooks.api.auth.ApiKeys;
import dev.git.webhooks.api.auth.Caller;
import dev.git.webhooks.ops.audit.AuditContext;
import dev.git.webhooks.ops.audit.Audited;
import dev.git.webhooks.ops.console.session.ConsoleSession;
import dev.git.webhooks.ops.console.session.SignOuts;
import dev.git.webhooks.ops.console.session.Sessions;

/**
 * {@code /console/login}: sign in with an API key (an owner's or an operator's; the admin key manages keys only).
 * The sign-in form carries its own CSRF token, tied to a short-lived cookie, so no other site can sign a browser
 * in; the key then lives only in the sealed session cookie. Signing out ends the session on the server too.
 */
@Path("/console")
public class SignIn {

    private final ApiKeys keys;
    private final Sessions sessions;
    private final SignOuts signOuts;
    private final Pages pages;
    private final ConsoleSession session;

    /** An operator's sign-out, as the audit log names it. */
    public static final String SIGN_OUT = "console.sign_out";

    private final AuditContext audit;

    public SignIn(ApiKeys keys, Sessions sessions, SignOuts signOuts, Pages pages, ConsoleSession session,
            AuditContext audit) {
        this.audit = audit;
        this.keys = keys;
        this.sessions = sessions;
        this.signOuts = signOuts;
        this.pages = pages;
        this.session = session;
    }

    @GET
    @Path("/login")
    public Response form(@QueryParam("notice") String notice) {
        String message = notice == null ? null : Chrome.NOTICES.get(notice);
        return Response.fromResponse(pages.signInAgain(200, message)).build();
    }

    @POST
    @Path("/login")
    public Response signIn(@FormParam("api_key") String apiKey, @FormParam("_csrf") String csrf,
            @CookieParam(Sessions.PRE_COOKIE) String nonce) {
        if (nonce == null || !sessions.codec().csrfMatches(nonce, csrf)) {
            return pages.signInAgain(403, "The sign-in form expired or did not come from this console; try again.");
        }
        String key = apiKey == null ? "" : apiKey.trim();
        Optional<Caller> caller = key.isEmpty() || key.length() > 200 ? Optional.empty() : keys.authenticate(key);
        if (caller.isEmpty()) {
            return pages.signInAgain(401, "That API key is not valid.");
        }
        if (caller.get().admin()) {
            return pages.signInAgain(403, "The admin key manages API keys only; sign in with an owner's or an "
                    + "operator's key.");
        }
        return Response.seeOther(URI.create("/console")).cookie(sessions.open(key),
                sessions.cleared(Sessions.PRE_COOKIE)).build();
    }

    @POST
    @Path("/logout")
    @Audited(SIGN_OUT)
    public Response signOut(@FormParam("_csrf") String csrf) {
        if (!session.csrfMatches(csrf)) {
            return pages.error(403, "Form refused", "This form did not come from your console session.");
        }
        signOuts.end(session.nonce()); // a copy of the cookie (another tab's, a stolen one) no longer signs in
        audit.outcome(200, "Signed out"); // an operator's sign-out is in the audit log as what it did, not a 303
        return Response.seeOther(URI.create("/console/login?notice=signed-out"))
                .cookie(sessions.cleared(Sessions.COOKIE)).build();
    }
}
