package io.msf.protocol.api;

import io.netty.buffer.ByteBufUtil;

/**
 * Topic names, subscription patterns and how they match.
 *
 * <p>A topic is a {@code .}-separated list of segments, such as {@code dlna.device.added}: no
 * segment is empty, none contains white space or control characters, and the whole is at most
 * {@link Protocol#MAX_SUBJECT_BYTES} UTF-8 bytes (and has a UTF-8 form: no unpaired surrogate). A topic names what is published; peer names
 * follow the same rules ({@link #checkName}).
 *
 * <p>A pattern is a topic in which a segment may be a wildcard: {@code *} stands for exactly one
 * segment, {@code >} (last segment only) for one or more segments. So {@code dlna.*.added} matches
 * {@code dlna.device.added} but not {@code dlna.added}, and {@code dlna.>} matches
 * {@code dlna.device} and {@code dlna.device.added} but not {@code dlna}. The wildcard characters
 * may not appear inside a segment ({@code dev*}), nor anywhere in a topic.
 */
public final class Topic {

    public static final char SEPARATOR = '.';

    /** Matches exactly one segment. */
    public static final char ONE = '*';

    /** As the last segment, matches one or more segments. */
    public static final char REST = '>';

    private Topic() {
    }

    /**
     * @return {@code topic}
     * @throws IllegalArgumentException saying what is wrong and where
     */
    public static String checkTopic(String topic) {
        return check(topic, "topic", false);
    }

    /**
     * Checks a peer's name, which follows a topic's rules; the errors speak of a name, as the one
     * who gave it knows it ({@code "peer name 'my peer' has white space ..."}).
     *
     * @return {@code name}
     * @throws IllegalArgumentException saying what is wrong and where
     */
    public static String checkName(String name) {
        return check(name, "peer name", false);
    }

    /**
     * @return {@code pattern}
     * @throws IllegalArgumentException saying what is wrong and where
     */
    public static String checkPattern(String pattern) {
        return check(pattern, "pattern", true);
    }

    /** True if {@code pattern} has a wildcard segment; assumes a valid pattern. */
    public static boolean hasWildcard(String pattern) {
        return pattern.indexOf(ONE) >= 0 || pattern.indexOf(REST) >= 0;
    }

    /**
     * True if {@code topic} is one of the topics {@code pattern} stands for. Both are assumed valid
     * ({@link #checkTopic}, {@link #checkPattern}); nothing is allocated.
     */
    public static boolean matches(String pattern, String topic) {
        int patternLength = pattern.length();
        int topicLength = topic.length();
        int p = 0;
        int t = 0;
        while (p <= patternLength) {
            if (t > topicLength) {
                return false; // the pattern has a segment left, the topic has none
            }
            int patternEnd = segmentEnd(pattern, p);
            int topicEnd = segmentEnd(topic, t);
            int segmentLength = patternEnd - p;
            if (segmentLength == 1 && pattern.charAt(p) == REST) {
                return true; // and the topic has at least one segment left, from t
            }
            boolean one = segmentLength == 1 && pattern.charAt(p) == ONE;
            if (!one && (segmentLength != topicEnd - t || !pattern.regionMatches(p, topic, t, segmentLength))) {
                return false;
            }
            p = patternEnd + 1;
            t = topicEnd + 1;
        }
        return t > topicLength;
    }

    private static int segmentEnd(String text, int from) {
        int end = text.indexOf(SEPARATOR, from);
        return end < 0 ? text.length() : end;
    }

    private static String check(String text, String what, boolean pattern) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("the " + what + " is empty");
        }
        if (text.length() > Protocol.MAX_SUBJECT_BYTES || ByteBufUtil.utf8Bytes(text) > Protocol.MAX_SUBJECT_BYTES) {
            throw new IllegalArgumentException(
                    what + " '" + Message.abbreviate(text) + "' is longer than " + Protocol.MAX_SUBJECT_BYTES
                            + " UTF-8 bytes");
        }
        int start = 0;
        while (start <= text.length()) {
            int end = segmentEnd(text, start);
            checkSegment(text, start, end, pattern, what);
            start = end + 1;
        }
        return text;
    }

    /**
     * The index of the first half of a surrogate pair in {@code text[start, end)} without its other
     * half, or -1. Such a string has no UTF-8 form: Netty writes the half as '?', or as '?' and a byte
     * of the next character that is no UTF-8, so the receiver would see another name, or refuse the
     * frame and close the connection.
     */
    static int unpairedSurrogate(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }

    private static void checkSegment(String text, int start, int end, boolean pattern, String what) {
        if (start == end) {
            throw new IllegalArgumentException(what + " '" + text + "' has an empty segment at index " + start);
        }
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (unpairedSurrogate(text, i, end) != i) {
                    i++; // a character beyond the BMP, as any other
                    continue;
                }
                throw new IllegalArgumentException(what + " '" + text + "' has an unpaired surrogate at index " + i
                        + ": it has no UTF-8 form");
            }
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                throw new IllegalArgumentException(
                        what + " '" + text + "' has white space or a control character at index " + i);
            }
            if (c != ONE && c != REST) {
                continue;
            }
            if (!pattern) {
                throw new IllegalArgumentException(what + " '" + text + "' has the wildcard '" + c + "' at index " + i
                        + "; wildcards belong in subscription patterns");
            }
            if (end - start != 1) {
                throw new IllegalArgumentException("pattern '" + text + "' has the wildcard '" + c + "' at index " + i
                        + " inside a segment; a wildcard must be a whole segment");
            }
            if (c == REST && end != text.length()) {
                throw new IllegalArgumentException(
                        "pattern '" + text + "' has '>' at index " + i + " before its last segment");
            }
        }
    }
}
