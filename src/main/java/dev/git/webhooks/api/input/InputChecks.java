package dev.git.webhooks.api.input;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MultivaluedMap;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.api.FieldChecks;

/**
 * Every path id and query parameter of a {@code /v2} route is checked after authentication and before a resource
 * (and so the database) sees it. An id of a shape the API never gives out cannot name anything: 404, as for any
 * unknown id. A NUL character (U+0000), which PostgreSQL refuses in text, is a 400 naming the parameter. So is a
 * parameter the route does not take (a filter misspelt, or another list's, would otherwise be ignored and the whole
 * list answered, as Stripe refuses it too), and one given twice where the route takes one value.
 */
public class InputChecks {

    /** Per route method: its query parameters, each with whether it takes several values. */
    private static final Map<Method, Map<String, Boolean>> PARAMETERS = new ConcurrentHashMap<>();

    /**
     * Every id the API gives out ({@code wh_…}, {@code dlv_…}), every event id a producer may use, and every event
     * type's name ({@code /v2/event-types/deploy.success}).
     */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    static final String NO_NUL = "must not contain the NUL character (U+0000)";

    @ServerRequestFilter(priority = Priorities.USER)
    public void check(ContainerRequestContext request, ResourceInfo resource) {
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
        Map<String, Boolean> taken = resource.getResourceMethod() == null ? null
                : PARAMETERS.computeIfAbsent(resource.getResourceMethod(), InputChecks::parameters);
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            String name = parameter.getKey();
            checks.check(name.indexOf('\0') < 0, name, "is a parameter name that " + NO_NUL);
            for (String value : parameter.getValue()) {
                checks.check(value.indexOf('\0') < 0, name, NO_NUL);
            }
            if (taken != null && !checks.failed(name)) {
                Boolean several = taken.get(name);
                checks.check(several != null, name, taken.isEmpty() ? "is not a parameter: this route takes none"
                        : "is not a parameter of this route, which takes " + String.join(", ", taken.keySet()));
                checks.check(several == null || several || parameter.getValue().size() == 1, name,
                        "is given " + parameter.getValue().size() + " times: give it once");
            }
        }
        checks.throwIfAny();
    }

    private static Map<String, Boolean> parameters(Method method) {
        Map<String, Boolean> parameters = new TreeMap<>();
        for (Parameter p : method.getParameters()) {
            QueryParam query = p.getAnnotation(QueryParam.class);
            if (query != null) {
                parameters.put(query.value(), Collection.class.isAssignableFrom(p.getType()));
            }
        }
        return parameters;
    }
}
