package dev.git.webhooks.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** v1a signatures as a receiver checks them: with the JDK alone, from the whpk_ public key only. */
class SigningKeyTest {

    private static final byte[] BODY = "{\"event\":\"repo.push\",\"data\":{\"n\":1.50}}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void v1aSignatureVerifiesWithTheJdkFromThePublicKeyAlone() throws Exception {
        SigningKey.Pair pair = SigningKey.generate();
        String entry = SigningKey.sign(SigningKey.privateKey(pair.secret()), "evt_1", 1614265330L, BODY);

        assertTrue(entry.startsWith("v1a,"));
        assertTrue(receiverVerifies(pair.publicKey(), "evt_1", 1614265330L, BODY, entry));
    }

    @Test
    void tamperedBodyTimestampOrIdIsRefused() throws Exception {
        SigningKey.Pair pair = SigningKey.generate();
        String entry = SigningKey.sign(SigningKey.privateKey(pair.secret()), "evt_1", 1614265330L, BODY);
        byte[] tampered = new String(BODY, StandardCharsets.UTF_8).replace("1.50", "9.50")
                .getBytes(StandardCharsets.UTF_8);

        assertFalse(receiverVerifies(pair.publicKey(), "evt_1", 1614265330L, tampered, entry));
        assertFalse(receiverVerifies(pair.publicKey(), "evt_1", 1614265331L, BODY, entry));
        assertFalse(receiverVerifies(pair.publicKey(), "evt_2", 1614265330L, BODY, entry));
        assertFalse(receiverVerifies(SigningKey.generate().publicKey(), "evt_1", 1614265330L, BODY, entry),
                "another endpoint's key");
    }

    @Test
    void keysHaveTheStandardWebhooksForms() {
        SigningKey.Pair pair = SigningKey.generate();
        assertTrue(pair.secret().startsWith("whsk_"));
        assertTrue(pair.publicKey().startsWith("whpk_"));
        assertEquals(32, Base64.getDecoder().decode(pair.secret().substring(5)).length);
        assertEquals(32, Base64.getDecoder().decode(pair.publicKey().substring(5)).length);
        assertNotEquals(pair.publicKey(), SigningKey.generate().publicKey());
        assertFalse(pair.toString().contains(pair.secret()), "the secret key is not in a log line");
    }

    @Test
    void rawKeyFormsMatchRfc8032TestVector1() {
        // RFC 8032 §7.1 TEST 1's secret key (seed) and public key, as whsk_ and whpk_: what one signs the other checks
        byte[] seed = HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        byte[] pub = HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        String secret = "whsk_" + Base64.getEncoder().encodeToString(seed);
        String shown = "whpk_" + Base64.getEncoder().encodeToString(pub);
        String entry = SigningKey.sign(SigningKey.privateKey(secret), "evt_1", 1L, BODY);
        assertTrue(receiverVerifies(shown, "evt_1", 1L, BODY, entry));
        assertArrayEquals(SigningKey.publicKey(shown).getEncoded(), x509(pub));
    }

    /** What docs/verifying-webhooks.md tells a Java receiver to do. */
    private static boolean receiverVerifies(String whpk, String id, long timestamp, byte[] body, String entry) {
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                    x509(Base64.getDecoder().decode(whpk.substring("whpk_".length())))));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            verifier.update(body);
            return verifier.verify(Base64.getDecoder().decode(entry.substring("v1a,".length())));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] x509(byte[] raw) {
        byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100");
        byte[] der = java.util.Arrays.copyOf(prefix, prefix.length + raw.length);
        System.arraycopy(raw, 0, der, prefix.length, raw.length);
        return der;
    }
}
