package dev.git.webhooks.common;

/**
 * One feature's check of its configuration, run at startup by {@link RequiredSettings}: a value that parses but
 * cannot work (a negative duration, an empty schedule, an invalid network) stops the start instead of failing the
 * first request or attempt that reads it.
 */
public interface SettingsCheck {

    void check(SettingsProblems problems);
}
