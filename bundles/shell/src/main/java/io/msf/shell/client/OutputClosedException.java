package io.msf.shell.client;

import java.io.IOException;

/**
 * The client's own output can no longer be written: its reader has gone, as {@code head} does in
 * {@code bin/msf exec '...' | head -1}. The command is ended with the connection, as a shell's
 * pipeline ends its writer, and nothing more is said: there is no one left to read it.
 */
final class OutputClosedException extends IOException {

    private static final long serialVersionUID = 1L;

    OutputClosedException() {
        super("the output of the command can no longer be written");
    }
}
