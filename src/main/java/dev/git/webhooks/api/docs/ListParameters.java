package dev.git.webhooks.api.docs;

import java.math.BigDecimal;
import java.util.List;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

import dev.git.webhooks.api.PageRequest;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Documents {@code ?limit=} and {@code ?cursor=} of every {@code /v2} list once, from {@link PageRequest}'s bounds.
 * The resources read both as strings, so that a bad value answers the error envelope ({@code validation_failed}
 * naming {@code limit}) rather than the framework's bare 404 for a query parameter it cannot convert; the document
 * says what the values are.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ListParameters implements OASFilter {

    static final String LIMIT = "limit";
    static final String CURSOR = "cursor";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        V2Operations.each(openAPI, (path, item, method, op) -> {
            if (op.getParameters() != null) {
                op.getParameters().stream().filter(p -> p.getIn() == Parameter.In.QUERY)
                        .forEach(ListParameters::document);
            }
        });
    }

    private static void document(Parameter parameter) {
        if (LIMIT.equals(parameter.getName())) {
            parameter.description("How many items a page holds, from 1 to " + PageRequest.MAX_LIMIT + ".")
                    .schema(OASFactory.createSchema().type(List.of(SchemaType.INTEGER)).format("int32")
                            .minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(PageRequest.MAX_LIMIT))
                            .defaultValue(PageRequest.DEFAULT_LIMIT));
        } else if (CURSOR.equals(parameter.getName())) {
            parameter.description("The next_cursor of the previous page; absent for the first page. Opaque, and "
                    + "stable while items are added.");
        } else if (parameter.getDescription() == null) {
            String what = switch (parameter.getName()) {
                case "since" -> "Only items at or after this time: an RFC 3339 date-time with its offset, such as "
                        + "2025-01-20T14:35:22Z.";
                case "until" -> "Only items before this time: an RFC 3339 date-time with its offset.";
                case "owner" -> "With an operator's key: only this owner's items (every owner's when absent). An "
                        + "owner's key always lists its own.";
                default -> null;
            };
            if (what != null) {
                parameter.description(what);
            }
        }
    }
}
