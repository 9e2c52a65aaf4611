package dev.git.webhooks.api.docs;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * The request bodies' {@code ordering} in the three forms the API reads (SPEC §12): the string {@code "none"} (the
 * default), an object {@code {"key": …}}, or null. The annotations derive one type from the Java record, an object,
 * and a client generated from that document could not send {@code "none"}. Run at build time, as
 * {@link ErrorResponses}.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OrderingSchemas implements OASFilter {

    /** The bodies that take an {@code ordering}. */
    static final List<String> BODIES = List.of("CreateWebhook", "UpdateWebhook");
    static final String NONE = "OrderingNone";
    /** The object form's component, which the annotations make from the record (as "object or null"). */
    static final String BY_KEY = "EndpointOrdering";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        if (components == null || components.getSchemas() == null) {
            return;
        }
        components.addSchema(NONE, OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                .enumeration(List.of("none")).description("No order: the endpoint's deliveries go as its "
                        + "concurrency allows (the default)."));
        Schema byKey = components.getSchemas().get(BY_KEY);
        if (byKey == null) {
            return;
        }
        for (String body : BODIES) {
            Schema schema = components.getSchemas().get(body);
            Map<String, Schema> properties = schema == null ? null : schema.getProperties();
            Schema ordering = properties == null ? null : properties.get("ordering");
            if (ordering == null) {
                continue;
            }
            // read before the component changes: a body's property may be that very schema
            schema.addProperty("ordering", OASFactory.createSchema().description(ordering.getDescription())
                    .oneOf(List.of(OASFactory.createSchema().ref(NONE), OASFactory.createSchema().ref(BY_KEY),
                            OASFactory.createSchema().addType(Schema.SchemaType.NULL))));
        }
        byKey.type(List.of(Schema.SchemaType.OBJECT)).description("{\"key\": owner | repo | event | a JSON Pointer "
                + "into the event}: deliveries with the same key value go one at a time, in the order of their events.");
    }
}
