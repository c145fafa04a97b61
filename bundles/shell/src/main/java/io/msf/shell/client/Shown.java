package io.msf.shell.client;

/** How much of a command is repeated in a message about it: a long one would bury the message. */
final class Shown {

    private static final int CHARS = 80;

    private Shown() {
    }

    /**
     * {@code command} stripped, cut to its first 80 characters and "..." when longer, or when it is already the
     * start of a longer line ({@code cut}).
     */
    static String start(String command, boolean cut) {
        String words = command.strip();
        return words.length() <= CHARS && !cut ? words : words.substring(0, Math.min(CHARS, words.length())) + "...";
    }
}
