package dev.git.webhooks.common;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

/** What is wrong with the configuration, each problem naming its key and the environment variable that sets it. */
public final class SettingsProblems {

    private final List<String> problems = new ArrayList<>();
    private final java.util.Set<String> keys = new java.util.HashSet<>();

    public void add(String key, String message) {
        keys.add(key);
        problems.add(key + " (" + env(key) + ") " + message);
    }

    public void missing(String key) {
        problems.add(key + " is required (set the environment variable " + env(key) + ")");
    }

    public void check(boolean ok, String key, String message) {
        if (!ok) {
            add(key, message);
        }
    }

    /** Positive; said once per key (a negative value is already reported by {@link #general}). */
    public void positive(String key, Duration value) {
        check(keys.contains(key) || value.compareTo(Duration.ZERO) > 0, key, "must be a positive duration, not " + value);
    }

    public void positive(String key, long value) {
        check(keys.contains(key) || value > 0, key, "must be a positive number, not " + value);
    }

    /**
     * The rules that hold for every key of a {@code @ConfigMapping}: no negative number or duration, no empty list.
     * Read from the mapping interface, so that a key added later is checked too.
     */
    public void general(String prefix, Class<?> mappingType, Object mapping) {
        for (Method method : mappingType.getMethods()) {
            if (method.getParameterCount() > 0 || method.isDefault() || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String key = method.isAnnotationPresent(WithParentName.class) ? prefix
                    : prefix + "." + (method.isAnnotationPresent(WithName.class)
                            ? method.getAnnotation(WithName.class).value() : kebab(method.getName()));
            try {
                value(key, method.getReturnType(), method.invoke(mapping));
            } catch (IllegalAccessException | InvocationTargetException e) {
                add(key, "cannot be read: " + e.getCause());
            }
        }
    }

    private void value(String key, Class<?> type, Object value) {
        Object plain = value instanceof Optional<?> optional ? optional.orElse(null) : value;
        if (plain instanceof Duration duration) {
            check(!duration.isNegative(), key, "must not be negative, not " + duration);
        } else if (plain instanceof Number number) {
            check(number.doubleValue() >= 0, key, "must not be negative, not " + number);
        } else if (plain instanceof Collection<?> list) {
            check(!list.isEmpty(), key, "must not be empty");
            list.forEach(item -> value(key, item.getClass(), item));
        } else if (plain != null && type.isInterface() && !(plain instanceof Collection<?>)
                && type.getName().startsWith("dev.git.webhooks.")) {
            general(key, type, plain);
        }
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<String> all() {
        return List.copyOf(problems);
    }

    /** The environment variable of a key, as Quarkus maps them. */
    public static String env(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
