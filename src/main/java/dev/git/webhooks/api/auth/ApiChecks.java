package dev.git.webhooks.api.auth;

import jakarta.enterprise.context.ApplicationScoped;

import dev.git.webhooks.common.SettingsCheck;
import dev.git.webhooks.common.SettingsProblems;

/** The API keys of the configuration, checked at startup: every rate limit positive. */
@ApplicationScoped
public class ApiChecks implements SettingsCheck {

    private final ApiConfig config;

    public ApiChecks(ApiConfig config) {
        this.config = config;
    }

    @Override
    public void check(SettingsProblems problems) {
        String p = "webhooks.api.rate-limits.";
        problems.positive(p + "free", config.rateLimits().free());
        problems.positive(p + "pro", config.rateLimits().pro());
        problems.positive(p + "enterprise", config.rateLimits().enterprise());
        problems.positive(p + "admin", config.rateLimits().admin());
    }
}
