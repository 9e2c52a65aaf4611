package dev.git.webhooks.api.docs;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * A filter's values (SPEC §12) are strings, numbers or booleans: the annotations give their component
 * ({@code EndpointFilter.Value}) that {@code oneOf}, and also the type {@code object} of the Java interface that names
 * it, which no value is; the type goes. Run at build time, as {@link ErrorResponses}.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class FilterValueSchema implements OASFilter {

    static final String NAME = "EndpointFilterValue";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        Schema value = components == null || components.getSchemas() == null ? null
                : components.getSchemas().get(NAME);
        if (value != null) {
            value.setType(null);
        }
    }
}
