package dev.git.webhooks.ops.deadletter;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A safe look at bytes that anyone could have produced: at most {@code limit} bytes; strict UTF-8 shown as text
 * with invisible characters written as JSON escapes (backslash, {@code u}, four hex digits: controls, zero-width and
 * bidirectional formatting characters, line and paragraph separators), anything else as hex. Pages escape it again
 * as HTML; nothing here is ever interpreted.
 */
public record Preview(
        @Schema(example = "{\"event\":\"deploy.failed\",\"id\":\"evt_9x31q\",\"timestamp\":\"yesterday\"}",
                description = "The bytes as escaped text, or as hex when they are not UTF-8.") String text,
        @Schema(example = "utf-8", description = "utf-8, binary or empty.") String encoding,
        @Schema(example = "false") boolean truncated,
        @Schema(example = "66", description = "The whole value's size in bytes.") int size) {

    public static Preview of(byte[] value, int limit) {
        if (value == null || value.length == 0) {
            return new Preview("", "empty", false, 0);
        }
        boolean truncated = value.length > limit;
        byte[] head = truncated ? Arrays.copyOf(value, limit) : value;
        String text = utf8(head, truncated);
        if (text == null) {
            byte[] shown = Arrays.copyOf(head, Math.min(head.length, Math.max(16, limit / 3)));
            return new Preview(HexFormat.ofDelimiter(" ").formatHex(shown), "binary",
                    truncated || shown.length < value.length, value.length);
        }
        return new Preview(escape(text), "utf-8", truncated, value.length);
    }

    /** The first characters, for a line in a list. */
    public String excerpt() {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }

    /** Strict UTF-8; a cut through the last character of a truncated head is forgiven. */
    private static String utf8(byte[] head, boolean truncated) {
        for (int cut = 0; cut <= (truncated ? 3 : 0) && cut < head.length; cut++) {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            try {
                CharBuffer chars = decoder.decode(ByteBuffer.wrap(head, 0, head.length - cut));
                String text = chars.toString();
                return text.startsWith("\uFEFF") ? null : text;
            } catch (CharacterCodingException e) {
                // try a shorter cut, or show hex
            }
        }
        return null;
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (hidden(c)) {
                for (char unit : Character.toChars(c)) {
                    out.append(String.format("\\u%04x", (int) unit));
                }
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /**
     * Characters that a page would not show as themselves, or that would change how the text around them shows:
     * controls other than line feed and tab; format characters (Unicode category Cf: zero-width space, joiners and
     * marks, bidirectional embeddings, overrides and isolates, U+061C, U+2060, U+FEFF, tag characters); the line and
     * paragraph separators U+2028 and U+2029. One outside the BMP is written as its two UTF-16 escapes.
     */
    private static boolean hidden(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL && c != '\n' && c != '\t' || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
