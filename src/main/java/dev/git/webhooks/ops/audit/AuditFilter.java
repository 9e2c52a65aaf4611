package dev.git.webhooks.ops.audit;

import java.lang.reflect.Method;
import java.util.Set;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.git.webhooks.api.auth.Caller;
import dev.git.webhooks.api.auth.CallerContext;

/**
 * Records every action taken with an operator's key, through the API or the console: any request that is not a
 * read. The entry is written before the action runs ({@code started}) and completed with the answer's status; an
 * action refused before it ran (a missing scope) is written once, refused.
 */
public class AuditFilter {

    private static final Logger LOG = Logger.getLogger(AuditFilter.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final AuditLog log;
    private final CallerContext callers;
    private final AuditContext audit;

    public AuditFilter(AuditLog log, CallerContext callers, AuditContext audit) {
        this.log = log;
        this.callers = callers;
        this.audit = audit;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 100)
    public void before(ContainerRequestContext request, ResourceInfo resource) {
        Caller caller = operatorAction(request);
        if (caller != null && resource.getResourceMethod() != null) {
            audit.entryId(log.started(caller.keyId(), action(request, resource.getResourceMethod()),
                    target(request), request.getMethod(), request.getUriInfo().getPath()));
        }
    }

    @ServerResponseFilter
    public void after(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        try {
            if (audit.entryId() != null) {
                int status = audit.status() != null && response.getStatus() == 303 ? audit.status()
                        : response.getStatus();
                log.finished(audit.entryId(), audit.action(), audit.target(), status, audit.outcome());
                return;
            }
            Caller caller = operatorAction(request);
            if (caller != null && resource.getResourceMethod() != null) {
                log.refused(caller.keyId(), action(request, resource.getResourceMethod()), target(request),
                        request.getMethod(), request.getUriInfo().getPath(), response.getStatus());
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not complete the audit entry of %s %s", request.getMethod(),
                    request.getUriInfo().getPath());
        }
    }

    private Caller operatorAction(ContainerRequestContext request) {
        if (READS.contains(request.getMethod()) || !callers.signedIn()) {
            return null;
        }
        Caller caller = callers.caller();
        return caller.operator() ? caller : null;
    }

    private String target(ContainerRequestContext request) {
        if (audit.target() != null) {
            return audit.target();
        }
        return request.getUriInfo().getPathParameters().getFirst("id");
    }

    private static String action(ContainerRequestContext request, Method method) {
        Audited audited = method.getAnnotation(Audited.class);
        return audited != null ? audited.value() : request.getMethod() + " " + request.getUriInfo().getPath();
    }
}
