package dev.git.webhooks.api.edge;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

/**
 * The routes of the JAX-RS resources, path template to methods, read from their annotations at start. RESTEasy
 * Reactive answers 404 instead of 405 when another resource class shares the start of the path (a wrong method on
 * {@code /v2/webhooks/{id}/ping}, whose class is not {@code /v2/webhooks}'s); this table lets the 404 mapper tell
 * a wrong method from a missing route.
 */
@ApplicationScoped
public class Routes {

    private static final Pattern PARAMETER = Pattern.compile("\\{[^}]+}");

    private final Map<Pattern, Set<String>> routes;

    public Routes(BeanManager beans) {
        Map<String, Set<String>> byTemplate = new TreeMap<>();
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Path root = bean.getBeanClass().getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : bean.getBeanClass().getMethods()) {
                String http = httpMethod(method);
                if (http != null) {
                    byTemplate.computeIfAbsent(join(root.value(), method.getAnnotation(Path.class)),
                            t -> new TreeSet<>()).add(http);
                }
            }
        }
        this.routes = new LinkedHashMap<>();
        byTemplate.forEach((template, methods) -> routes.put(pattern(template), methods));
    }

    /** The methods that {@code path} answers to, with HEAD and OPTIONS as JAX-RS adds them; empty when none. */
    public Set<String> allowed(String path) {
        Set<String> allowed = new LinkedHashSet<>();
        routes.forEach((pattern, methods) -> {
            if (pattern.matcher(path).matches()) {
                allowed.addAll(methods);
            }
        });
        if (allowed.contains(HttpMethod.GET)) {
            allowed.add(HttpMethod.HEAD);
        }
        if (!allowed.isEmpty()) {
            allowed.add(HttpMethod.OPTIONS);
        }
        return allowed;
    }

    /** The templates and their methods, for tests and the curious. */
    public List<String> templates() {
        return routes.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().pattern()).toList();
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String join(String root, Path sub) {
        String path = "/" + root + (sub == null ? "" : "/" + sub.value());
        path = path.replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** {@code /v2/webhooks/{id}} matches {@code /v2/webhooks/x} and {@code /v2/webhooks/x/}, not a deeper path. */
    static Pattern pattern(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher parameter = PARAMETER.matcher(template);
        int last = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(template.substring(last, parameter.start()))).append("[^/]+");
            last = parameter.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append("/?");
        return Pattern.compile(regex.toString());
    }
}
