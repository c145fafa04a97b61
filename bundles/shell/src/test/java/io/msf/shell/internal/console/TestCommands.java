package io.msf.shell.internal.console;

/** Commands for the console tests, registered with the real Gogo runtime under scope {@code test}. */
public final class TestCommands {

    static final String[] FUNCTIONS = {"echo", "fail", "big", "print"};

    public String echo(String... words) {
        return String.join(" ", words);
    }

    public String fail(String message) {
        throw new IllegalArgumentException(message);
    }

    /** A result longer than one output chunk. */
    public String big(int length) {
        return "x".repeat(length);
    }

    /** Output a command prints rather than returns. */
    public void print(int lines) {
        for (int i = 1; i <= lines; i++) {
            System.out.println("line " + i);
        }
    }
}
