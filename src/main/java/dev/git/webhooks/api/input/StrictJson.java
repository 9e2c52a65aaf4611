package dev.git.webhooks.api.input;

import java.util.List;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Request bodies are one JSON value and nothing else: bytes after it ({@code {"a":0}{"x":1}}) and a field given
 * twice are refused as malformed, not silently read as the first value or the last field. Applies to typed and
 * JSON-tree bodies alike, since both are read by this mapper. A typed field takes its own JSON type only, as the
 * hand checks of JSON trees did: no {@code "true"} for {@code true}, {@code 42} for {@code "42"}, {@code 1.5} for 1.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // A typed field takes its own JSON type only: no "true" for true, 42 for "42" or 1.5 for 1.
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // No null in a list of strings: ["a", null] is as wrong as [1].
        mapper.configOverride(List.class).setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
        refuse(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        refuse(mapper, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.Integer);
        refuse(mapper, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.Float);
    }

    private static void refuse(ObjectMapper mapper, LogicalType target, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(target).setCoercion(shape, CoercionAction.Fail);
        }
    }
}
