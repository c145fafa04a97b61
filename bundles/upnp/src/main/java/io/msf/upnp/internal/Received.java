package io.msf.upnp.internal;

import io.msf.dlna.api.Dlna;
import io.msf.protocol.api.Message;
import java.nio.charset.StandardCharsets;
import org.osgi.service.log.Logger;

/** What dlna tells upnp without being asked: NOTIFYs and publications of its new state. */
final class Received {

    private final Logger log;
    private final Exchanges notifications = new Exchanges();
    private final Exchanges publications = new Exchanges();
    private volatile String dlnaState = "(not known yet)";

    Received(Logger log) {
        this.log = log;
    }

    /** The state dlna last reported, by any route. */
    void dlnaState(String state) {
        dlnaState = state;
    }

    String dlnaState() {
        return dlnaState;
    }

    /** A NOTIFY {@link Dlna#STATE_CHANGED}; the message is released by the caller. */
    void notification(Message message) {
        String state = message.payload().toString(StandardCharsets.UTF_8);
        dlnaState = state;
        received(notifications, "upnp <- dlna NOTIFY state changed: '{}'", state);
    }

    /** A publication on {@value Dlna#STATE_TOPIC}; the message is released by the client. */
    void publication(Message message) {
        received(publications, "upnp <- " + message.subject() + " publication: '{}'",
                message.payload().toString(StandardCharsets.UTF_8));
    }

    long notificationCount() {
        return notifications.total();
    }

    long publicationCount() {
        return publications.total();
    }

    /** Counts since the previous call, or null if nothing came. */
    String drain() {
        long notified = notifications.drain();
        long published = publications.drain();
        return notified + published == 0 ? null
                : "received " + notified + " NOTIFY and " + UpnpService.count(published, Dlna.STATE_TOPIC + " publication");
    }

    private void received(Exchanges kind, String format, String state) {
        if (kind.countFirst()) {
            log.info(format + " (first one; the following ones are logged at DEBUG)", state);
        } else {
            log.debug(format, state);
        }
    }
}
