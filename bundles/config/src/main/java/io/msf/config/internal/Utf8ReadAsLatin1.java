package io.msf.config.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Text saved as UTF-8 and read as ISO-8859-1, FileInstall's encoding of configuration files unless
 * {@code felix.fileinstall.configEncoding} says otherwise: {@code müller} arrives as {@code mÃ¼ller}.
 * An editor's UTF-8 is told by a value whose bytes past ASCII are all valid UTF-8, one character of two
 * to four bytes at least. ISO-8859-1 text written on purpose hardly ever is: its accented letters are
 * followed by ASCII ({@code café}), or stand beside signs that are no UTF-8 ({@code « café »} with its
 * no-break spaces). One valid pair in a value that is not UTF-8 as a whole ({@code «CAFÉ»}: É» is the
 * pair C9 BB) is no sign of it: such a value is applied as FileInstall reads it.
 */
final class Utf8ReadAsLatin1 {

    private Utf8ReadAsLatin1() {
    }

    /**
     * What {@code text}, read as ISO-8859-1, was written as, if its bytes are UTF-8 with a character of
     * more than one byte.
     */
    static Optional<String> meant(String text) {
        if (text.chars().allMatch(c -> c < 0x80) || text.chars().anyMatch(c -> c > 0xff)) {
            return Optional.empty(); // ASCII alone, or not read as ISO-8859-1
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
