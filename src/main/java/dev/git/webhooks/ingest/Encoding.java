package dev.git.webhooks.ingest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 on the raw record bytes, before any JSON parser sees them. Jackson guesses UTF-16 and UTF-32 from
 * the first bytes and lets some invalid UTF-8 through inside strings; the delivered bytes are the producer's, so
 * what the receivers get must be what the event contract promises: UTF-8, no byte-order mark (any other encoding
 * is dead-lettered).
 */
final class Encoding {

    /** The decoded text, or why the bytes are not acceptable. */
    record Decoded(CharBuffer text, String problem) {
    }

    private Encoding() {
    }

    static Decoded decode(byte[] bytes) {
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            return problem("The record starts with a byte-order mark; send UTF-8 without one");
        }
        if (bytes.length >= 2 && ((bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff
                || (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe)) {
            return problem("The record starts with a UTF-16 byte-order mark; send UTF-8");
        }
        for (byte b : bytes) {
            if (b == 0) {
                // Never in UTF-8 JSON (a NUL must be escaped); it is how UTF-16 and UTF-32 text looks as bytes.
                return problem("The record contains NUL bytes (UTF-16, UTF-32 or binary data); send UTF-8");
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return new Decoded(decoder.decode(ByteBuffer.wrap(bytes)), null);
        } catch (CharacterCodingException e) {
            return problem("The record is not valid UTF-8 (bytes F5-FF, overlong forms, surrogates, code points "
                    + "above U+10FFFF or cut sequences)");
        }
    }

    private static Decoded problem(String message) {
        return new Decoded(null, message);
    }
}
