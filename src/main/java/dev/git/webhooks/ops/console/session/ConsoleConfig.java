package dev.git.webhooks.ops.console.session;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code webhooks.console.*}: the console's session cookie and its own request limit. */
@ConfigMapping(prefix = "webhooks.console")
public interface ConsoleConfig {

    /** How long a sign-in lasts; then the console asks for the key again. */
    @WithDefault("8h")
    Duration sessionTimeout();

    /** Send the session cookie only over HTTPS ({@code Secure}); dev and tests run on plain HTTP. */
    @WithDefault("true")
    boolean secureCookie();

    /**
     * Console requests a minute per signed-in key, counted apart from the key's API rate limit (as dashboards'
     * own requests are never drawn from the API limits of Stripe's or Svix's keys). It only stops a runaway
     * client: a person clicking and a replay's progress refreshing every 2 seconds stay far below it.
     */
    @WithDefault("600")
    int requestsPerMinute();
}
