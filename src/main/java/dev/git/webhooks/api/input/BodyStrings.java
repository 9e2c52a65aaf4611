package dev.git.webhooks.api.input;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.api.ApiException;

/**
 * No string of a request body, on any route, may hold a NUL character (U+0000, written {@code \u0000} in JSON):
 * PostgreSQL refuses it in text and jsonb. Checked on every body once it is read, typed or a JSON tree, so that no
 * route can forget it; the answer names the field.
 */
@Provider
public class BodyStrings implements ReaderInterceptor {

    private final ObjectMapper json;

    public BodyStrings(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object body = context.proceed();
        if (body != null) {
            JsonNode tree = body instanceof JsonNode node ? node : json.valueToTree(body);
            String field = fieldWithNul(tree, "");
            if (field != null) {
                throw ApiException.invalid(field.isEmpty() ? "body" : field, InputChecks.NO_NUL);
            }
        }
        return body;
    }

    /** The path ({@code a.b[2]}) of the first string or field name that holds a NUL, or null. */
    static String fieldWithNul(JsonNode node, String path) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0 ? path : null;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = fieldWithNul(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            String found = field.getKey().indexOf('\0') >= 0 ? name : fieldWithNul(field.getValue(), name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
