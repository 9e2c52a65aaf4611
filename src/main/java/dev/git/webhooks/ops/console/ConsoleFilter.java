package dev.git.webhooks.ops.console;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.git.webhooks.api.auth.ApiKeys;
import dev.git.webhooks.api.auth.Caller;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.RateLimitDecision;
import dev.git.webhooks.api.auth.RateLimiter;
import dev.git.webhooks.ops.console.session.ConsoleConfig;
import dev.git.webhooks.ops.console.session.ConsoleSession;
import dev.git.webhooks.ops.console.session.SessionCodec;
import dev.git.webhooks.ops.console.session.SignOuts;
import dev.git.webhooks.ops.console.session.Sessions;

/**
 * Signs every console request in from its session cookie: a missing cookie goes to the sign-in page; a cookie that
 * does not open (changed, forged, from another deployment), has expired, was signed out, or holds a revoked key is
 * refused and cleared. The key is checked on each request like an API call; the requests count against the console's
 * own limit per key ({@code webhooks.console.requests-per-minute}), never against the key's API rate limit, so that
 * browsing the console cannot starve the key's integrations (nor the other way round). Every console answer carries
 * headers that keep it out of caches and other origins' scripts and frames; only a replay's progress panel may be
 * framed, by the console's own replay page.
 */
public class ConsoleFilter {

    /** The console's requests are counted under this prefix and the key's id: apart from its API calls. */
    static final String CONSOLE_BUCKET = "console:";

    /** Pages that the console's own pages frame (a replay's live progress): framed by the same origin only. */
    private static final java.util.regex.Pattern FRAMED = java.util.regex.Pattern.compile(
            "/console/replays/[^/]+/progress");

    private final Sessions sessions;
    private final SignOuts signOuts;
    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final CallerContext callers;
    private final ConsoleSession session;
    private final Pages pages;
    private final ConsoleConfig config;
    private final Clock clock;

    public ConsoleFilter(Sessions sessions, SignOuts signOuts, ApiKeys keys, RateLimiter limiter,
            CallerContext callers, ConsoleSession session, Pages pages, ConsoleConfig config, Clock clock) {
        this.config = config;
        this.sessions = sessions;
        this.signOuts = signOuts;
        this.keys = keys;
        this.limiter = limiter;
        this.callers = callers;
        this.session = session;
        this.pages = pages;
        this.clock = clock;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> signIn(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/console") && !path.startsWith("/console/") || path.startsWith("/console/login")) {
            return Optional.empty();
        }
        Cookie cookie = request.getCookies().get(Sessions.COOKIE);
        if (cookie == null) {
            return Optional.of(Response.seeOther(URI.create("/console/login")).build());
        }
        Optional<SessionCodec.Session> opened = sessions.codec().open(cookie.getValue());
        if (opened.isEmpty()) {
            return Optional.of(pages.signInAgain(401, "Your session cookie was not accepted; sign in again."));
        }
        if (opened.get().issuedAt().plus(sessions.timeout()).isBefore(clock.instant())) {
            return Optional.of(pages.signInAgain(401, "Your session ended; sign in again."));
        }
        if (signOuts.ended(opened.get().nonce())) {
            return Optional.of(pages.signInAgain(401, "This session was signed out; sign in again."));
        }
        Optional<Caller> caller = keys.authenticate(opened.get().apiKey()).filter(c -> !c.admin());
        if (caller.isEmpty()) {
            return Optional.of(pages.signInAgain(401, "That API key is no longer valid; sign in with another."));
        }
        RateLimitDecision decision = limiter.hit(CONSOLE_BUCKET + caller.get().keyId(), caller.get().keyId(),
                config.requestsPerMinute());
        callers.set(caller.get(), decision);
        session.signIn(caller.get(), opened.get().nonce(), sessions.codec().csrfToken(opened.get().nonce()));
        if (!decision.allowed()) {
            return Optional.of(pages.error(429, "Too many requests",
                    "This key made " + decision.limit() + " console requests in the last minute, the console's limit; "
                            + "wait a minute."));
        }
        return Optional.empty();
    }

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        if (!request.getUriInfo().getPath().startsWith("/console")) {
            return;
        }
        MultivaluedMap<String, Object> headers = response.getHeaders();
        boolean framed = FRAMED.matcher(request.getUriInfo().getPath()).matches();
        headers.putSingle("Content-Security-Policy", "default-src 'self'; script-src 'none'; style-src 'self'; "
                + "img-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors "
                + (framed ? "'self'" : "'none'") + "; base-uri 'none'");
        headers.putSingle("X-Frame-Options", framed ? "SAMEORIGIN" : "DENY");
        headers.putSingle("X-Content-Type-Options", "nosniff");
        headers.putSingle("Referrer-Policy", "same-origin");
        headers.putSingle("Cache-Control", "no-store");
    }
}
