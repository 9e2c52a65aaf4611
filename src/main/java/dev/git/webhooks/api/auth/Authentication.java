package dev.git.webhooks.api.auth;

import java.lang.reflect.Method;
import java.time.Clock;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.git.webhooks.api.ApiException;

/**
 * Every {@code /v2} route: a Bearer API key, the key's rate limit, then the route's scope. Rate-limit headers go on
 * every answer to an authenticated caller, errors included.
 */
public class Authentication {

    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final CallerContext context;
    private final Clock clock;

    public Authentication(ApiKeys keys, RateLimiter limiter, CallerContext context, Clock clock) {
        this.keys = keys;
        this.limiter = limiter;
        this.context = context;
        this.clock = clock;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public void authenticate(ContainerRequestContext request, ResourceInfo resource) {
        if (!request.getUriInfo().getPath().startsWith("/v2")) {
            return;
        }
        String header = request.getHeaderString("Authorization");
        if (header == null || header.isBlank()) {
            throw new ApiException(401, "missing_api_key",
                    "Send your API key in the Authorization header: 'Authorization: Bearer <key>'.");
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ApiException(401, "invalid_api_key", "The Authorization header must use the Bearer scheme.");
        }
        Caller caller = keys.authenticate(header.substring(BEARER.length()).trim())
                .orElseThrow(() -> new ApiException(401, "invalid_api_key", "The API key is not valid."));
        RateLimitDecision decision = limiter.hit(caller.keyId(), caller.rateLimit());
        context.set(caller, decision);
        if (!decision.allowed()) {
            throw new ApiException(429, "rate_limited", "Rate limit of " + decision.limit()
                    + " requests a minute exceeded; retry after the time in Retry-After.");
        }
        authorize(caller, resource.getResourceMethod(), resource.getResourceClass());
    }

    @ServerResponseFilter
    public void rateLimitHeaders(ContainerResponseContext response) {
        if (response.getStatus() == 401) {
            response.getHeaders().putSingle("WWW-Authenticate", "Bearer");
        }
        RateLimitDecision rate = context.rate();
        if (rate == null) {
            return;
        }
        response.getHeaders().putSingle("X-RateLimit-Limit", rate.limit());
        response.getHeaders().putSingle("X-RateLimit-Remaining", rate.remaining());
        response.getHeaders().putSingle("X-RateLimit-Reset", rate.resetEpochSecond());
        if (response.getStatus() == 429) {
            long wait = Math.max(1, rate.resetEpochSecond() - clock.instant().getEpochSecond());
            response.getHeaders().putSingle("Retry-After", wait);
        }
    }

    private static void authorize(Caller caller, Method method, Class<?> type) {
        boolean adminOnly = method.isAnnotationPresent(AdminOnly.class) || type.isAnnotationPresent(AdminOnly.class);
        if (adminOnly && !caller.admin()) {
            throw new ApiException(403, "forbidden", "Only the admin key may call this route.");
        }
        RequiresScope required = method.getAnnotation(RequiresScope.class);
        if (required != null) {
            CallerContext.authorize(caller, required.value(), required.operator());
        }
    }
}
