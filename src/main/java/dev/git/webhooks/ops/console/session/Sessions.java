package dev.git.webhooks.ops.console.session;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

import dev.git.webhooks.common.RequiredSettings;

/** The session cookie: sealed with a key derived from the secrets key, HttpOnly, SameSite=Strict, path /console. */
@ApplicationScoped
public class Sessions {

    public static final String COOKIE = "wh_console";
    /** The sign-in form's own CSRF nonce, before there is a session. */
    public static final String PRE_COOKIE = "wh_console_signin";

    private final SessionCodec codec;
    private final ConsoleConfig config;
    private final Clock clock;

    public Sessions(RequiredSettings settings, ConsoleConfig config, Clock clock) {
        this.codec = new SessionCodec(settings.encryptionKey());
        this.config = config;
        this.clock = clock;
    }

    public SessionCodec codec() {
        return codec;
    }

    public Duration timeout() {
        return config.sessionTimeout();
    }

    public NewCookie open(String apiKey) {
        return cookie(COOKIE, codec.seal(apiKey, clock.instant()), (int) config.sessionTimeout().toSeconds());
    }

    public NewCookie preSession(String nonce) {
        return cookie(PRE_COOKIE, nonce, 3600);
    }

    public NewCookie cleared(String name) {
        return cookie(name, "", 0);
    }

    private NewCookie cookie(String name, String value, int maxAge) {
        return new NewCookie.Builder(name).value(value).path("/console").maxAge(maxAge).httpOnly(true)
                .secure(config.secureCookie()).sameSite(NewCookie.SameSite.STRICT).build();
    }
}
