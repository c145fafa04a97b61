package io.msf.shell.client;

import java.io.IOException;
import java.io.Reader;

/**
 * The lines of the client's input, each kept up to a bound: a longer one is read to its end but not
 * held, as {@code BufferedReader.readLine} held it, so that a file piped in by mistake, one line of
 * megabytes, is told as too long instead of running the client (a 32 MB heap in bin/msf) out of memory.
 * A line ends with a line feed, a carriage return, or both, as for {@code readLine}.
 */
final class InputLines {

    /**
     * One line, without its end.
     *
     * @param text the line, or its first {@code maxChars} characters when it is longer
     * @param cut whether it was longer than that
     */
    record Line(String text, boolean cut) {
    }

    private final Reader in;
    private final int maxChars;
    /** The last line ended with a carriage return: a line feed right after it ends nothing more. */
    private boolean afterCarriageReturn;

    /** @param in read one character at a time: give it a buffered reader */
    InputLines(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line, or null at the end of the input. */
    Line next() throws IOException {
        StringBuilder text = new StringBuilder();
        boolean cut = false;
        boolean any = false;
        for (int c = in.read(); c != -1; c = in.read()) {
            if (afterCarriageReturn) {
                afterCarriageReturn = false;
                if (c == '\n') {
                    continue;
                }
            }
            any = true;
            if (c == '\n' || c == '\r') {
                afterCarriageReturn = c == '\r';
                return new Line(text.toString(), cut);
            }
            if (text.length() < maxChars) {
                text.append((char) c);
            } else {
                cut = true;
            }
        }
        return any ? new Line(text.toString(), cut) : null;
    }
}
