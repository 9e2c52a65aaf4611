package dev.git.webhooks.ops.console.endpoint;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.subscription.request.EndpointFilter;
import dev.git.webhooks.subscription.request.EndpointHeader;

/**
 * The endpoint form's boxes for the headers and the filter, read into the API's values: the service then checks them
 * as it checks an API body, and names the field of each problem. A secret header's line is never quoted back.
 */
final class ControlFields {

    private ControlFields() {
    }

    /** {@code Name: value} one a line, the secret ones from their own box; null when there is none. */
    static List<EndpointHeader> headers(String plain, String secret) {
        List<EndpointHeader> list = new ArrayList<>();
        lines(plain, false, list);
        lines(secret, true, list);
        return list.isEmpty() ? null : list;
    }

    private static void lines(String text, boolean secret, List<EndpointHeader> into) {
        if (text == null) {
            return;
        }
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw ApiException.invalid(secret ? "secret_headers" : "headers", (secret ? "has a line"
                        : "has '" + line.trim() + "'") + " without a colon: write each header as Name: value, one a "
                        + "line");
            }
            into.add(new EndpointHeader(line.substring(0, colon).trim(), line.substring(colon + 1).trim(),
                    secret ? Boolean.TRUE : null));
        }
    }

    /** The filter as JSON, read by the API's own (strict) reader; null when the box is blank. */
    static EndpointFilter filter(String json, ObjectMapper reader) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return reader.readValue(json, EndpointFilter.class);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("filter", "must be JSON as the API takes it, such as {\"repo\": [\"acme/api\"], "
                    + "\"match\": [{\"pointer\": \"/data/environment\", \"values\": [\"production\"]}]}, or empty "
                    + "for none");
        }
    }
}
