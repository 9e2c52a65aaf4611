package dev.git.webhooks.ops.deadletter;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the dead-letter pages and API show of bytes that anyone could have written. */
class PreviewTest {

    @Test
    void showsBytesThatAreNotUtf8AsHex() {
        Preview preview = Preview.of(new byte[] {'{', (byte) 0xff, (byte) 0xfe, 0, '<', (byte) 0xc3}, 100);
        assertThat(preview.encoding(), equalTo("binary"));
        assertThat(preview.text(), equalTo("7b ff fe 00 3c c3"));
        assertThat(preview.size(), equalTo(6));
        assertThat(preview.truncated(), equalTo(false));
    }

    @Test
    void showsLatin1AndUtf16AsHexNotAsMisreadText() {
        assertThat(Preview.of("café".getBytes(StandardCharsets.ISO_8859_1), 100).text(), equalTo("63 61 66 e9"));
        assertThat(Preview.of("{}".getBytes(StandardCharsets.UTF_16), 100).encoding(), equalTo("binary"));
    }

    @Test
    void showsAValueThatStartsWithAByteOrderMarkAsHex() {
        Preview preview = Preview.of("\uFEFF{}".getBytes(StandardCharsets.UTF_8), 100);
        assertThat(preview.encoding(), equalTo("binary"));
        assertThat(preview.text(), equalTo("ef bb bf 7b 7d"));
    }

    @Test
    void showsOnlyTheFirstBytesOfALongBinaryValue() {
        byte[] value = new byte[1000];
        Arrays.fill(value, (byte) 0x80);
        Preview preview = Preview.of(value, 300);
        assertThat(preview.encoding(), equalTo("binary"));
        assertThat(preview.text().split(" ").length, equalTo(100));
        assertThat(preview.truncated(), equalTo(true));
        assertThat(preview.size(), equalTo(1000));
    }

    @Test
    void forgivesACutThroughTheLastCharacterOfATruncatedHead() {
        byte[] value = "ab€€€".getBytes(StandardCharsets.UTF_8);
        Preview preview = Preview.of(value, 4);
        assertThat(preview.encoding(), equalTo("utf-8"));
        assertThat(preview.text(), equalTo("ab"));
        assertThat(preview.truncated(), equalTo(true));
    }

    @Test
    void refusesAnInvalidSequenceInsideAnUntruncatedValue() {
        assertThat(Preview.of(new byte[] {'a', (byte) 0xe2, (byte) 0x82, 'b'}, 100).encoding(), equalTo("binary"));
    }

    static IntStream invisible() {
        return IntStream.concat(IntStream.of(0x00, 0x07, 0x0d, 0x1b, 0x7f, 0x85, 0x9f, 0x061c, 0x2060, 0xfeff,
                0x2028, 0x2029), IntStream.concat(IntStream.rangeClosed(0x200b, 0x200f),
                        IntStream.concat(IntStream.rangeClosed(0x202a, 0x202e), IntStream.rangeClosed(0x2066, 0x2069))));
    }

    @ParameterizedTest(name = "U+{0}")
    @MethodSource("invisible")
    void writesAnInvisibleOrReorderingCharacterAsAVisibleEscape(int c) {
        String text = "a" + Character.toString(c) + "b";
        Preview preview = Preview.of(text.getBytes(StandardCharsets.UTF_8), 100);
        assertThat(preview.encoding(), equalTo("utf-8"));
        assertThat(preview.text(), equalTo("a" + String.format("\\u%04x", c) + "b"));
    }

    @Test
    void writesATagCharacterOutsideTheBmpAsItsTwoEscapes() {
        String hidden = "ok" + Character.toString(0xe0041) + Character.toString(0xe007f);
        assertThat(Preview.of(hidden.getBytes(StandardCharsets.UTF_8), 100).text(),
                equalTo("ok\\udb40\\udc41\\udb40\\udc7f"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}\n\t{\"b\":2}", "<script>alert('x')</script> \"quoted\" & more",
        "café ✓ 😀 שלום مرحبا 日本語"})
    void keepsVisibleTextAsItIsForThePageToEscape(String text) {
        Preview preview = Preview.of(text.getBytes(StandardCharsets.UTF_8), 1000);
        assertThat(preview.encoding(), equalTo("utf-8"));
        assertThat(preview.text(), equalTo(text));
    }

    @Test
    void anExcerptIsTheFirstEightyCharacters() {
        Preview preview = Preview.of("x".repeat(200).getBytes(StandardCharsets.UTF_8), 1000);
        assertThat(preview.excerpt(), startsWith("x".repeat(80)));
        assertThat(preview.excerpt().length(), equalTo(81));
        assertThat(Preview.of(new byte[0], 10).encoding(), equalTo("empty"));
    }
}
