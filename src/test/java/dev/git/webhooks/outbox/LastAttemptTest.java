package dev.git.webhooks.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The stored form of a last attempt's request: short, and the headers come back exactly as they were sent. */
class LastAttemptTest {

    private static final String GITHUB = "sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String V1 = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=";
    private static final String V1_OLD = "v1,AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    @Test
    void signaturesAreStoredAsBytesAndComeBackExactly() {
        Map<String, String> sent = sent("1767225600", GITHUB, V1);
        byte[] signed = LastAttempt.signed(sent);
        assertEquals(1 + 8 + 32 + 1 + 32 + "git.dev-Webhooks/1.0.0".length(), signed.length, "about 100 bytes");
        assertSent(sent, signed);
    }

    @Test
    void bothSignaturesOfAGracePeriodComeBack() {
        Map<String, String> sent = sent("1767225600", GITHUB, V1 + " " + V1_OLD);
        assertSent(sent, LastAttempt.signed(sent));
    }

    @Test
    void headersTheBinaryFormWouldChangeAreKeptAsText() {
        String upperHex = "sha256=" + GITHUB.substring(7).toUpperCase(java.util.Locale.ROOT);
        for (Map<String, String> odd : List.of(sent("01767225600", GITHUB, V1), sent("1767225600", upperHex, V1),
                sent("1767225600", GITHUB, "v1,short"), sent("", "", ""), sent("1767225600", GITHUB, V1 + "  " + V1))) {
            byte[] signed = LastAttempt.signed(odd);
            assertTrue(signed[0] != 1, "text form: " + new String(signed, StandardCharsets.UTF_8));
            assertSent(odd, signed);
        }
    }

    @Test
    void anAttemptSignedWithEd25519AloneShowsNoHmacHeader() {
        String v1a = "v1a," + java.util.Base64.getEncoder().encodeToString(new byte[64]);
        Map<String, String> sent = Map.of("webhook-timestamp", "1767225600", "webhook-signature", v1a,
                "User-Agent", "git.dev-Webhooks/1.0.0");
        Map<String, String> back = LastAttempt.requestHeaders(LastAttempt.signed(sent), null, "dlv_1", "evt_1",
                "repo.push", 1);
        assertEquals(v1a, back.get("webhook-signature"));
        assertTrue(!back.containsKey("X-Signature-256"), "not sent, not shown: " + back);
        assertSent(sent, LastAttempt.signed(sent));
    }

    @Test
    void rowsWrittenBeforeTheBinaryFormAreReadFromTheirText() {
        String text = "1767225600\n" + GITHUB + "\n" + V1 + "\ngit.dev-Webhooks/1.0.0\n";
        Map<String, String> headers = LastAttempt.requestHeaders(null, text, "dlv_1", "evt_1", "repo.push", 2);
        assertEquals(GITHUB, headers.get("X-Signature-256"));
        assertEquals(V1, headers.get("webhook-signature"));
        assertEquals("2", headers.get("X-Webhook-Attempt"));
        assertNull(LastAttempt.requestHeaders(null, null, "dlv_1", "evt_1", "repo.push", 1), "no attempt yet");
    }

    private static void assertSent(Map<String, String> sent, byte[] signed) {
        Map<String, String> back = LastAttempt.requestHeaders(signed, null, "dlv_1", "evt_1", "repo.push", 1);
        for (String name : sent.keySet()) {
            // an empty X-Signature-256 is one that was not sent (v1a alone), and is not shown
            String expected = name.equals("X-Signature-256") && sent.get(name).isEmpty() ? null : sent.get(name);
            assertEquals(expected, back.get(name), name);
        }
    }

    private static Map<String, String> sent(String timestamp, String github, String standard) {
        return Map.of("webhook-timestamp", timestamp, "X-Signature-256", github, "webhook-signature", standard,
                "User-Agent", "git.dev-Webhooks/1.0.0");
    }
}
