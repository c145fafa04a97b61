package io.msf.shell.protocol;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HELLO payload: {@code msf-console/1 maxLineBytes=65536}.
 *
 * @param version the protocol version, {@link ConsoleProtocol#VERSION}
 * @param maxLineBytes the largest EXEC or LINE payload the server accepts
 */
public record Hello(String version, int maxLineBytes) {

    private static final Pattern FORMAT = Pattern.compile("(\\S+) maxLineBytes=(\\d{1,10})");

    public Frame toFrame() {
        return Frame.text(FrameType.HELLO, version + " maxLineBytes=" + maxLineBytes);
    }

    /**
     * Reads a HELLO frame.
     *
     * @throws ProtocolException if the frame is not a HELLO of this protocol
     */
    public static Hello from(Frame frame) throws ProtocolException {
        if (frame.type() != FrameType.HELLO) {
            throw new ProtocolException("expected HELLO, got " + frame);
        }
        String text = frame.text();
        Matcher matcher = FORMAT.matcher(text);
        if (!matcher.matches()) {
            throw new ProtocolException("malformed HELLO '" + text + "'");
        }
        long max = Long.parseLong(matcher.group(2));
        if (max < 1 || max > Integer.MAX_VALUE) {
            throw new ProtocolException("HELLO announces maxLineBytes=" + max + ", out of range");
        }
        return new Hello(matcher.group(1), (int) max);
    }
}
