package dev.git.webhooks.subscription;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.git.webhooks.common.RequiredSettings;
import dev.git.webhooks.common.SettingsCheck;
import dev.git.webhooks.common.SettingsProblems;

/** The rotation and secrets keys, checked at startup (a bad retired key would otherwise fail the first delivery). */
@ApplicationScoped
public class SubscriptionChecks implements SettingsCheck {

    private final SubscriptionConfig rotation;
    private final SecretsConfig secrets;

    public SubscriptionChecks(SubscriptionConfig rotation, SecretsConfig secrets) {
        this.rotation = rotation;
        this.secrets = secrets;
    }

    @Override
    public void check(SettingsProblems problems) {
        problems.general("webhooks.rotation", SubscriptionConfig.class, rotation);
        problems.check(rotation.gracePeriod().compareTo(rotation.maxGracePeriod()) <= 0,
                "webhooks.rotation.grace-period", "must not be longer than webhooks.rotation.max-grace-period ("
                        + rotation.maxGracePeriod() + ")");
        for (String retired : secrets.retiredEncryptionKeys().orElse(List.of())) {
            problems.check(RequiredSettings.decodeKey(retired) != null, "webhooks.secrets.retired-encryption-keys",
                    "must hold base64 of exactly 32 bytes each");
        }
    }
}
