package io.msf.config.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Text saved as UTF-8 and read as ISO-8859-1, FileInstall's encoding of configuration files unless
 * {@code felix.fileinstall.configEncoding} says otherwise: {@code müller} arrives as {@code mÃ¼ller}.
 * An editor's UTF-8 is told by a sequence of bytes that is a valid UTF-8 character of two to four
 * bytes; ISO-8859-1 text written on purpose has such a sequence hardly ever ({@code Ã¼} is no word).
 */
final class Utf8ReadAsLatin1 {

    private Utf8ReadAsLatin1() {
    }

    /**
     * What {@code text}, read as ISO-8859-1, was written as, if it holds a character of UTF-8 of more
     * than one byte.
     */
    static Optional<String> meant(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isUtf8Character(text, i)) {
                return Optional.of(new String(text.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    /** Whether the bytes at {@code start} are one UTF-8 character of two to four bytes (no overlong, no surrogate). */
    private static boolean isUtf8Character(String text, int start) {
        char lead = text.charAt(start);
        if (lead < 0xc2 || lead > 0xf4) {
            return false;
        }
        int length = lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
        return start + length <= text.length() && decoded(text.substring(start, start + length)).isPresent();
    }

    /** {@code text}'s bytes decoded as UTF-8, if they all are valid UTF-8. */
    private static Optional<String> decoded(String text) {
        if (text.chars().anyMatch(c -> c > 0xff)) {
            return Optional.empty(); // not read as ISO-8859-1
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1))).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** {@code text} with every character past ASCII written as a {@code \\uXXXX} escape, which any encoding reads. */
    static String escaped(String text) {
        StringBuilder escaped = new StringBuilder();
        text.chars().forEach(c -> escaped.append(c < 0x80 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return escaped.toString();
    }
}
