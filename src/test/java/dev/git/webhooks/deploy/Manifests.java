package dev.git.webhooks.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** Reading deploy/kubernetes as Kubernetes would: the service's container, its ports by name. */
final class Manifests {

    static final Path KUBERNETES = Path.of("deploy", "kubernetes");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Manifests() {
    }

    /** One manifest of deploy/kubernetes. */
    static JsonNode read(String file) {
        try {
            return YAML.readTree(KUBERNETES.resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Deployment's (only) container. */
    static JsonNode container() {
        return read("deployment.yaml").at("/spec/template/spec/containers/0");
    }

    /** The number of the container port with this name; 0 when there is none. */
    static int containerPort(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (name.equals(port.path("name").asText())) {
                return port.path("containerPort").asInt();
            }
        }
        return 0;
    }

    /** A port as a probe, Service or NetworkPolicy gives it: a number, or the name of a container port. */
    static int port(JsonNode container, JsonNode port) {
        return port.isInt() ? port.asInt() : containerPort(container, port.asText());
    }

    /** The value the container's {@code env} gives a variable; null when it gives none. */
    static String env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (name.equals(e.path("name").asText())) {
                return e.path("value").asText();
            }
        }
        return null;
    }
}
