package dev.git.webhooks.ops.console.session;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code webhooks.console.*}: the console's session cookie. */
@ConfigMapping(prefix = "webhooks.console")
public interface ConsoleConfig {

    /** How long a sign-in lasts; then the console asks for the key again. */
    @WithDefault("8h")
    Duration sessionTimeout();

    /** Send the session cookie only over HTTPS ({@code Secure}); dev and tests run on plain HTTP. */
    @WithDefault("true")
    boolean secureCookie();
}
