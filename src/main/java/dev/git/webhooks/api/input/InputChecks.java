package dev.git.webhooks.api.input;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.api.FieldChecks;

/**
 * Every path id and query parameter of a {@code /v2} route is checked after authentication and before a resource
 * (and so the database) sees it. An id of a shape the API never gives out cannot name anything: 404, as for any
 * unknown id. A NUL character (U+0000), which PostgreSQL refuses in text, is a 400 naming the parameter.
 */
public class InputChecks {

    /**
     * Every id the API gives out ({@code wh_…}, {@code dlv_…}), every event id a producer may use, and every event
     * type's name ({@code /v2/event-types/deploy.success}).
     */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    static final String NO_NUL = "must not contain the NUL character (U+0000)";

    @ServerRequestFilter(priority = Priorities.USER)
    public void check(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/v2")) {
            return;
        }
        for (List<String> ids : request.getUriInfo().getPathParameters().values()) {
            for (String id : ids) {
                if (!ID.matcher(id).matches()) {
                    throw new ApiException(404, "not_found", "No resource with this id: ids are 1-64 letters, "
                            + "digits, '_', '-' or '.'.");
                }
            }
        }
        FieldChecks checks = new FieldChecks();
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters();
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            String name = parameter.getKey();
            checks.check(name.indexOf('\0') < 0, name, "is a parameter name that " + NO_NUL);
            for (String value : parameter.getValue()) {
                checks.check(value.indexOf('\0') < 0, name, NO_NUL);
            }
        }
        checks.throwIfAny();
    }
}
