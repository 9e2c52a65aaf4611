package dev.git.webhooks.api.docs;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Gives every {@code /v2} operation the bearer key and the error responses that every route of its shape can
 * answer, so that no resource repeats them: 401 and 429 always, 403 on every route that needs a scope or a kind of
 * key (all but the event-type catalog, which any key reads), 400 with a body or a query parameter, 404 with a path
 * id, 413 and 415 for a method that carries a body, 500 always. (405 is a response of the document that no
 * operation refers to: it answers a method the document does not list for a path.) Run at build time, so that the
 * stored document ({@code target/openapi}, copied to docs/openapi.yaml) is the one served.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ErrorResponses implements OASFilter {

    static final String SCHEME = "bearer";
    /** The routes that take every valid key: {@code EventTypeResource} has no {@code @RequiresScope}. */
    static final String ANY_KEY = "/v2/event-types";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        V2Operations.each(openAPI, (path, item, method, op) -> document(method, op, item, !path.startsWith(ANY_KEY)));
    }

    private static void document(PathItem.HttpMethod method, Operation op, PathItem path, boolean scoped) {
        op.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(SCHEME)));
        boolean body = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PATCH
                || method == PathItem.HttpMethod.PUT;
        boolean query = parameters(op, path).stream().anyMatch(p -> p.getIn() == Parameter.In.QUERY);
        boolean id = parameters(op, path).stream().anyMatch(p -> p.getIn() == Parameter.In.PATH);
        if (op.getResponses() == null) {
            op.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = op.getResponses();
        refer(responses, "400", ApiDocument.BAD_REQUEST, op.getRequestBody() != null || query);
        refer(responses, "401", ApiDocument.UNAUTHORIZED, true);
        refer(responses, "403", ApiDocument.FORBIDDEN, scoped);
        refer(responses, "404", ApiDocument.NOT_FOUND, id);
        refer(responses, "413", ApiDocument.TOO_LARGE, body);
        refer(responses, "415", ApiDocument.UNSUPPORTED, body);
        refer(responses, "429", ApiDocument.RATE_LIMITED, true);
        refer(responses, "500", ApiDocument.INTERNAL, true);
    }

    private static List<Parameter> parameters(Operation op, PathItem path) {
        List<Parameter> all = new ArrayList<>();
        if (path.getParameters() != null) {
            all.addAll(path.getParameters());
        }
        if (op.getParameters() != null) {
            all.addAll(op.getParameters());
        }
        return all;
    }

    private static void refer(APIResponses responses, String status, String name, boolean applies) {
        if (applies) { // also in place of the bare "Bad Request" SmallRye adds for a validated body
            responses.addAPIResponse(status, OASFactory.createAPIResponse().ref(name));
        }
    }
}
