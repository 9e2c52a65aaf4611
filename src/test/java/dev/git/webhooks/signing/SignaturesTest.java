package dev.git.webhooks.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Fixed vectors: GitHub's documented example and the Standard Webhooks reference test vector. */
class SignaturesTest {

    @Test
    void matchesGithubsDocumentedExample() {
        // docs.github.com "Validating webhook deliveries": secret "It's a Secret to Everybody", body "Hello, World!"
        SigningSecret secret = new SigningSecret("It's a Secret to Everybody");
        assertEquals("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
                Signatures.github(secret, "Hello, World!".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void matchesTheStandardWebhooksReferenceVector() {
        // standard-webhooks libraries' test vector
        SigningSecret secret = new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                Signatures.standard(List.of(secret), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body));
    }

    @Test
    void standardHeaderListsEverySecretNewestFirst() {
        SigningSecret fresh = new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        SigningSecret old = new SigningSecret("whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=");
        byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        String both = Signatures.standard(List.of(fresh, old), "evt_1", 1614265330L, body);
        assertEquals(Signatures.standard(List.of(fresh), "evt_1", 1614265330L, body) + " "
                + Signatures.standard(List.of(old), "evt_1", 1614265330L, body), both);
    }
}
