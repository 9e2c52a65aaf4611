package dev.git.webhooks.api.fuzz;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import jakarta.ws.rs.HttpMethod;

/**
 * The routes the application serves, read from its JAX-RS resources (every class of the main output with a
 * {@code @Path}), as {@code METHOD /template} with path parameters written {@code {}}: what the OpenAPI document is
 * compared with, so that a route left out of it (hidden, excluded, or a class the scan does not see) is not left
 * out of the fuzz unseen.
 */
final class ServedRoutes {

    private ServedRoutes() {
    }

    /** The routes whose template starts with {@code prefix}. */
    static Set<String> under(String prefix) throws IOException {
        Set<String> routes = new TreeSet<>();
        for (Class<?> type : resources()) {
            String base = type.getAnnotation(jakarta.ws.rs.Path.class).value();
            for (Method method : type.getMethods()) {
                String verb = httpMethod(method);
                jakarta.ws.rs.Path path = method.getAnnotation(jakarta.ws.rs.Path.class);
                if (verb == null && path != null) {
                    throw new IllegalStateException(type.getName() + "." + method.getName()
                            + " is a sub-resource locator, which this scan does not follow: list its routes here");
                }
                if (verb != null) {
                    String template = normalize(base + "/" + (path == null ? "" : path.value()));
                    if (template.startsWith(prefix)) {
                        routes.add(verb + " " + template);
                    }
                }
            }
        }
        return routes;
    }

    /** {@code METHOD /template} of a document's operation, in the same form. */
    static String route(Operation operation) {
        return operation.method() + " " + normalize(operation.template());
    }

    /** One slash between segments, none at the end, every path parameter (and its pattern) as {@code {}}. */
    static String normalize(String template) {
        String path = template.replaceAll("\\{\\s*[^}:\\s]+\\s*(:[^}]*)?}", "{}").replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    /** Every class of the application's main output annotated with {@code @Path}. */
    private static List<Class<?>> resources() throws IOException {
        Path classes = Path.of("target", "classes");
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException("no " + classes.toAbsolutePath() + ": run the tests from the project");
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<Class<?>> resources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".")
                        .replaceAll("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new IllegalStateException("cannot read " + name + " for its routes", e);
                }
                if (type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                    resources.add(type);
                }
            }
        }
        return resources;
    }
}
