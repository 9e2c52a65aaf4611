package dev.git.webhooks.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SigningSecretTest {

    @Test
    void generatesWhsecWithThirtyTwoRandomBytes() {
        SigningSecret secret = SigningSecret.generate();
        assertTrue(secret.value().startsWith("whsec_"));
        assertEquals(32, secret.keyBytes().length);
        assertEquals(Optional.empty(), SigningSecret.problem(secret.value()));
    }

    @Test
    void acceptsTwentyFourToSixtyFourBytes() {
        assertEquals(Optional.empty(), SigningSecret.problem("whsec_" + b64(24)));
        assertEquals(Optional.empty(), SigningSecret.problem("whsec_" + b64(64)));
        assertTrue(SigningSecret.problem("whsec_" + b64(23)).isPresent());
        assertTrue(SigningSecret.problem("whsec_" + b64(65)).isPresent());
    }

    @Test
    void refusesOtherFormats() {
        assertTrue(SigningSecret.problem(b64(32)).isPresent());
        assertTrue(SigningSecret.problem("whsec_" + b64(32).replace("=", "")).isPresent());
        assertTrue(SigningSecret.problem("whsec_" + Base64.getUrlEncoder().encodeToString(new byte[] {-1, -2, -3,
                -4, -5, -6, -7, -8, -9, -10, -11, -12, -13, -14, -15, -16, -17, -18, -19, -20, -21, -22, -23, -24}))
                .isPresent());
        assertTrue(SigningSecret.problem("whsec_!!!").isPresent());
    }

    @Test
    void neverPrintsItself() {
        assertEquals("whsec_…", SigningSecret.generate().toString());
    }

    private static String b64(int bytes) {
        byte[] value = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            value[i] = (byte) (i * 7 + 1);
        }
        return Base64.getEncoder().encodeToString(value);
    }
}
