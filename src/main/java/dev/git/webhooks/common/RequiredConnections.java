package dev.git.webhooks.common;

import java.util.List;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;

/**
 * Refuses a production start without the Kafka or JDBC URL while the configuration is being read: Hibernate and
 * the Kafka consumer start before any bean of ours, and without these URLs they fail with messages that do not
 * say which key to set. Adds no configuration source. Runs only in the packaged application (launch mode normal,
 * no build-time classes), never while the application is built, in dev mode or in tests.
 */
public class RequiredConnections implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (LaunchMode.current() != LaunchMode.NORMAL || buildTime()) {
            return List.of();
        }
        SettingsProblems problems = new SettingsProblems();
        for (String key : RequiredSettings.CONNECTIONS) {
            ConfigValue value = context.getValue(key);
            if (value == null || value.getValue() == null || value.getValue().isBlank()) {
                problems.missing(key);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Missing or invalid configuration: " + String.join("; ", problems.all())
                    + ". See docs/configuration.md.");
        }
        return List.of();
    }

    private static boolean buildTime() {
        try {
            Class.forName("io.quarkus.deployment.Capabilities", false, RequiredConnections.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

}
