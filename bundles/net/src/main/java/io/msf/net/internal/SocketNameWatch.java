package io.msf.net.internal;

import io.msf.net.internal.PublishedSocket.Name;
import io.msf.text.ControlCharacters;
import java.util.function.BooleanSupplier;
import org.osgi.service.log.Logger;

/**
 * Looks every {@link #PERIOD_MILLIS} ms at the name of a Unix-socket server's file and links the
 * socket there again once it has been found deleted twice in a row, so that clients outside the
 * container (bin/msf's peers, the client library) can join again without a restart. Twice: a folder
 * being removed with rm -rf, caught between its files and itself, is left to go. A name another file
 * took is that file's: told once, never replaced.
 */
final class SocketNameWatch implements Runnable {

    static final long PERIOD_MILLIS = 2000;

    private final EndpointLabel label;
    private final PublishedSocket socket;
    private final BooleanSupplier listening;
    private final Logger log;
    private int missed;
    /** What was last told about the name, so that each change is told once. */
    private Name told = Name.IN_PLACE;

    /** @param listening whether the server still listens: once closed, its name is left alone */
    SocketNameWatch(EndpointLabel label, PublishedSocket socket, BooleanSupplier listening, Logger log) {
        this.label = label;
        this.socket = socket;
        this.listening = listening;
        this.log = log;
    }

    @Override
    public void run() {
        try {
            if (listening.getAsBoolean()) {
                look();
            }
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: the name would be left unwatched.
            log.error("{}: looking at its socket file {} failed: {}", label.get(), shownPath(), e.toString());
        }
    }

    private void look() {
        Name name = socket.look();
        missed = name == Name.MISSING ? missed + 1 : 0;
        if (name == Name.MISSING && missed >= 2) {
            if (socket.linkAgain()) {
                missed = 0;
                told = Name.IN_PLACE;
                log.warn("{}: its socket file {} was deleted while the endpoint listened; linked it there again"
                        + " (connections tried meanwhile were refused)", label.get(), shownPath());
            } else if (told != Name.MISSING) {
                told = Name.MISSING;
                log.error("{}: its socket file {} was deleted while the endpoint listened and cannot be linked again"
                        + "{}: nobody can connect to it until the endpoint is opened again", label.get(), shownPath(),
                        socket.keeper() == null ? " (the file system gave it no second name)" : "");
            }
        } else if (name == Name.REPLACED && told != Name.REPLACED) {
            told = Name.REPLACED;
            log.warn("{}: {} is another file now, made there while the endpoint listened: connections to that path"
                    + " reach it, not this endpoint; leaving it", label.get(), shownPath());
        } else if (name == Name.IN_PLACE) {
            told = Name.IN_PLACE;
        }
    }

    /** The socket's path as the log shows it: a line feed in a configured path split the line. */
    private String shownPath() {
        return ControlCharacters.escapedOnOneLine(socket.socket().toString());
    }
}
