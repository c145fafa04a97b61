package io.msf.shell.internal;

/** Turns a failure into the words an operator needs. */
public final class Failures {

    private Failures() {
    }

    /** The message, or the exception's class when it has none (a bare NullPointerException). */
    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getName() : message;
    }
}
