package io.msf.text;

/**
 * Text cut to a number of chars without splitting a character: a high surrogate left alone at the end
 * is written to UTF-8 as '?', and shown as a replacement character in a log.
 */
public final class Cut {

    private Cut() {
    }

    /**
     * {@code text} itself if it has at most {@code maxChars} chars, else its first {@code maxChars}, or one
     * fewer where the last would be the first half of a surrogate pair.
     */
    public static String atMost(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        return text.substring(0, maxChars > 0 && Character.isHighSurrogate(text.charAt(maxChars - 1))
                ? maxChars - 1 : maxChars);
    }
}
