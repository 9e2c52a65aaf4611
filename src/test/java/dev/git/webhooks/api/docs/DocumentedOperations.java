package dev.git.webhooks.api.docs;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The operations of docs/openapi.yaml ({@code METHOD /template}), and which of them requests have called: every
 * request the generated client sends is recorded against the operation whose template its path matches.
 */
final class DocumentedOperations {

    private record Template(String operation, String method, Pattern path) {
    }

    private final List<Template> templates = new ArrayList<>();
    private final Set<String> called = ConcurrentHashMap.newKeySet();

    DocumentedOperations(Path document) throws IOException {
        JsonNode openapi = new ObjectMapper(new YAMLFactory()).readTree(document.toFile());
        for (Iterator<Map.Entry<String, JsonNode>> paths = openapi.get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            Pattern pattern = Pattern.compile(path.getKey().replaceAll("\\{[^}]+}", "[^/]+"));
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace").contains(method)) {
                    String verb = method.toUpperCase(Locale.ROOT);
                    templates.add(new Template(verb + " " + path.getKey(), verb, pattern));
                }
            });
        }
    }

    /** Every operation of the document. */
    Set<String> all() {
        Set<String> all = new TreeSet<>();
        templates.forEach(t -> all.add(t.operation()));
        return all;
    }

    /** Records the operation a request called (a request to no operation of the document fails). */
    void called(HttpRequest request) {
        String path = request.uri().getRawPath();
        String operation = templates.stream()
                .filter(t -> t.method().equals(request.method()) && t.path().matcher(path).matches())
                .map(Template::operation).findFirst()
                .orElseThrow(() -> new AssertionError(request.method() + " " + path + " is no operation of the "
                        + "document"));
        called.add(operation);
    }

    /** The operations of the document that no request called. */
    Set<String> uncalled() {
        Set<String> uncalled = all();
        uncalled.removeAll(called);
        return uncalled;
    }
}
