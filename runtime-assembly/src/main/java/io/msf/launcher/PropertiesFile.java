package io.msf.launcher;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Reads a UTF-8 properties file ({@code etc/config.properties}) and names the line of what it cannot
 * take. {@link Properties#load} and the UTF-8 decoder say only "Malformed &#92;uxxxx encoding." or
 * {@code Input length = 1}, and the container refuses to start with no more than that.
 */
final class PropertiesFile {

    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private PropertiesFile() {
    }

    /**
     * @param shown the file as messages name it
     * @throws IOException the file cannot be read (the message names it)
     * @throws IllegalArgumentException a line that is not UTF-8 or has a &#92;u without four hex
     *     digits, naming the file, the line and the column
     */
    static Properties read(Path file, String shown) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(shown + " cannot be read: " + e, e);
        }
        String text = decode(bytes, shown);
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IllegalArgumentException malformedEscape) {
            throw new IllegalArgumentException(badEscape(text, shown, malformedEscape.getMessage()), malformedEscape);
        }
        return properties;
    }

    /** The text, or the line and column of the first byte that is not UTF-8. */
    private static String decode(byte[] bytes, String shown) {
        CharsetDecoder decoder = strictUtf8();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never gives more chars than bytes
        if (decoder.decode(in, out, true).isError()) {
            int at = in.position(); // where the decoder stopped: the first byte it could not take
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (endsLine(bytes, i)) {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new IllegalArgumentException(String.format("%s:%d: not UTF-8 (byte 0x%02x at byte %d of the line):"
                    + " save the file as UTF-8", shown, line, bytes[at] & 0xff, at - lineStart + 1));
        }
        decoder.flush(out);
        String text = out.flip().toString();
        // the byte order mark of an editor that saves "UTF-8 with BOM" (Notepad): Properties takes it for the
        // first line's text, so that line's key was another than it read, and a comment line became a key
        return text.startsWith(BYTE_ORDER_MARK) ? text.substring(1) : text;
    }

    /**
     * Whether byte {@code i} ends a line as {@link Properties#load} reads lines: a LF, or a CR not followed by
     * one. Counting LFs alone put every error of a file with CR line ends on line 1.
     */
    private static boolean endsLine(byte[] bytes, int i) {
        return bytes[i] == '\n' || bytes[i] == '\r' && (i + 1 == bytes.length || bytes[i + 1] != '\n');
    }

    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /**
     * The line of the first &#92;u not followed by four hex digits, as {@link Properties#load} reads
     * lines: comment lines are skipped, a line ended by an odd number of backslashes goes on on the next.
     */
    private static String badEscape(String text, String shown, String loaderMessage) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        boolean continued = false;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            String stripped = line.stripLeading();
            boolean comment = !continued && (stripped.startsWith("#") || stripped.startsWith("!"));
            if (comment) {
                continue;
            }
            for (int i = 0; i < line.length(); i++) {
                if (line.charAt(i) != '\\') {
                    continue;
                }
                if (i + 1 < line.length() && line.charAt(i + 1) == 'u' && !fourHexDigits(line, i + 2)) {
                    String escape = line.substring(i, Math.min(line.length(), i + 6));
                    return shown + ":" + (n + 1) + ": '" + escape + "' at column " + (i + 1) + " is no unicode escape: \\u"
                            + " takes four hex digits (\\u00e9); a backslash meant as such is written \\\\";
                }
                i++; // the escaped character
            }
            continued = line.endsWith("\\") && trailingBackslashes(line) % 2 == 1;
        }
        return shown + ": " + loaderMessage;
    }

    private static boolean fourHexDigits(String line, int from) {
        if (from + 4 > line.length()) {
            return false;
        }
        for (int i = from; i < from + 4; i++) {
            if (Character.digit(line.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int trailingBackslashes(String line) {
        int count = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            count++;
        }
        return count;
    }
}
