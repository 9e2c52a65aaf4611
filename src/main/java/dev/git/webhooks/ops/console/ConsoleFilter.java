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
import dev.git.webhooks.ops.console.session.ConsoleSession;
import dev.git.webhooks.ops.console.session.SessionCodec;
import dev.git.webhooks.ops.console.session.SignOuts;
import dev.git.webhooks.ops.console.session.Sessions;

/**
 * Signs every console request in from its session cookie: a missing cookie goes to the sign-in page; a cookie that
 * does not open (changed, forged, from another deployment), has expired, was signed out, or holds a revoked key is
 * refused and cleared. The key is checked and rate-limited on each request like an API call. Every console answer
 * carries headers that keep it out of frames, caches and other origins' scripts.
 */
public class ConsoleFilter {

    private final Sessions sessions;
    private final SignOuts signOuts;
    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final CallerContext callers;
    private final ConsoleSession session;
    private final Pages pages;
    private final Clock clock;

    public ConsoleFilter(Sessions sessions, SignOuts signOuts, ApiKeys keys, RateLimiter limiter,
            CallerContext callers, ConsoleSession session, Pages pages, Clock clock) {
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
        RateLimitDecision decision = limiter.hit(caller.get().keyId(), caller.get().rateLimit());
        callers.set(caller.get(), decision);
        session.signIn(caller.get(), opened.get().nonce(), sessions.codec().csrfToken(opened.get().nonce()));
        if (!decision.allowed()) {
            return Optional.of(pages.error(429, "Too many requests",
                    "This key's rate limit of " + decision.limit() + " requests a minute is used up; wait a minute."));
        }
        return Optional.empty();
    }

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        if (!request.getUriInfo().getPath().startsWith("/console")) {
            return;
        }
        MultivaluedMap<String, Object> headers = response.getHeaders();
        headers.putSingle("Content-Security-Policy", "default-src 'self'; script-src 'none'; style-src 'self'; "
                + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        headers.putSingle("X-Frame-Options", "DENY");
        headers.putSingle("X-Content-Type-Options", "nosniff");
        headers.putSingle("Referrer-Policy", "same-origin");
        headers.putSingle("Cache-Control", "no-store");
    }
}
