package dev.git.webhooks.subscription.request;

import java.math.BigDecimal;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Conditions an event must meet to be delivered to the endpoint, all of them: its repository in {@code repo}, and
 * for each of {@code match}, the value at a JSON Pointer into the event equal to one of the values listed.
 */
@Schema(name = "EndpointFilter", description = "Conditions an event must meet, all of them, to be delivered.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointFilter(
        @Schema(nullable = true, description = "The event's repository (owner/name) is one of these.",
                example = "[\"acme/api\"]") List<String> repo,
        @Schema(nullable = true, description = "For each, the value at the JSON Pointer into the event equals one of "
                + "the values listed (a string, number or boolean); an event without that value does not match.",
                example = "[{\"pointer\": \"/data/environment\", \"values\": [\"production\"]}]")
        List<Match> match) {

    @Schema(name = "EndpointFilterMatch")
    public record Match(
            @Schema(required = true, example = "/data/environment", description = "A JSON Pointer (RFC 6901) into "
                    + "the event as published.") String pointer,
            @Schema(required = true, type = SchemaType.ARRAY, implementation = Value.class,
                    example = "[\"production\"]", description = "1 to 20 values.") List<Object> values) {
    }

    /** What a filter compares a value of the event with: a string, a number or a boolean (the OpenAPI type only). */
    @Schema(name = "EndpointFilterValue", oneOf = { String.class, BigDecimal.class, Boolean.class },
            description = "A string, a number or a boolean.")
    public interface Value {
    }
}
