package dev.git.webhooks.api.docs;

import java.util.Map;

import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;

/** The operations of the {@code /v2} routes in a document, for the build-time filters that complete them. */
final class V2Operations {

    /** One operation with its path and method. */
    interface Visitor {
        void visit(String path, PathItem item, PathItem.HttpMethod method, Operation operation);
    }

    private V2Operations() {
    }

    static void each(OpenAPI openAPI, Visitor visitor) {
        if (openAPI.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (path.getKey().startsWith("/v2")) {
                path.getValue().getOperations()
                        .forEach((method, operation) -> visitor.visit(path.getKey(), path.getValue(), method,
                                operation));
            }
        }
    }
}
