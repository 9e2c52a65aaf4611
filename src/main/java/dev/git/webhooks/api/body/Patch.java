package dev.git.webhooks.api.body;

import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * A field of a PATCH body, which is one of three things: absent (leave the value as it is), {@code null} (clear it)
 * or a value (set it). Jackson cannot tell absent from null with a plain record component; {@link PatchDeserializer}
 * gives an absent field {@link #absent()} and a JSON null {@link #ofNullable} {@code (null)}. The OpenAPI document
 * shows the field as its value's type, nullable.
 */
@JsonDeserialize(using = PatchDeserializer.class)
public final class Patch<T> {

    private static final Patch<?> ABSENT = new Patch<>(false, null);
    private static final Patch<?> NULL = new Patch<>(true, null);

    private final boolean present;
    private final T value;

    private Patch(boolean present, T value) {
        this.present = present;
        this.value = value;
    }

    @SuppressWarnings("unchecked")
    public static <T> Patch<T> absent() {
        return (Patch<T>) ABSENT;
    }

    @SuppressWarnings("unchecked")
    public static <T> Patch<T> ofNullable(T value) {
        return value == null ? (Patch<T>) NULL : new Patch<>(true, value);
    }

    /** Whether the body has the field, null or not. */
    public boolean present() {
        return present;
    }

    /** The value given, or null when absent or given as null. */
    @JsonValue
    public T value() {
        return value;
    }

    /** The value given (null included) when present, else {@code current}. */
    public T orElse(T current) {
        return present ? value : current;
    }

    /** The value given, mapped, when present (null stays null); else {@code current}. */
    public <R> R map(Function<T, R> change, R current) {
        return present ? (value == null ? null : change.apply(value)) : current;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Patch<?> patch && patch.present == present && Objects.equals(patch.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(present, value);
    }

    @Override
    public String toString() {
        return present ? "Patch[" + value + "]" : "Patch[absent]";
    }
}
