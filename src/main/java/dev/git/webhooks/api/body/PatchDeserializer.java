package dev.git.webhooks.api.body;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;

/**
 * Reads a {@link Patch}: the value with the deserializer of its own type (so a wrong type fails as it would in any
 * other field, naming it), a JSON null as a present null, and a missing field as absent.
 */
public class PatchDeserializer extends JsonDeserializer<Patch<?>> implements ContextualDeserializer {

    private final JsonDeserializer<?> values;

    public PatchDeserializer() {
        this(null);
    }

    private PatchDeserializer(JsonDeserializer<?> values) {
        this.values = values;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
            throws JsonMappingException {
        JavaType type = property != null ? property.getType() : ctxt.getContextualType();
        JavaType valueType = type.containedTypeOrUnknown(0);
        return new PatchDeserializer(ctxt.findContextualValueDeserializer(valueType, property));
    }

    @Override
    public Patch<?> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return Patch.ofNullable(values.deserialize(p, ctxt));
    }

    @Override
    public Patch<?> getNullValue(DeserializationContext ctxt) {
        return Patch.ofNullable(null);
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
        return Patch.absent();
    }
}
