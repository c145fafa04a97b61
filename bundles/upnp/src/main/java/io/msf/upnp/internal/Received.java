package io.msf.upnp.internal;

import io.msf.dlna.api.Dlna;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.osgi.service.log.Logger;

/** What dlna tells upnp without being asked: NOTIFYs and publications of its new state. */
final class Received {

    private final Logger log;
    private final Exchanges notifications = new Exchanges();
    private final Exchanges publications = new Exchanges();
    private final Exchanges dropped = new Exchanges();
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
        String state = stateIn(message, peer(message), "NOTIFY state changed");
        if (state != null) {
            dlnaState = state;
            received(notifications, "upnp <- dlna NOTIFY state changed: '{}'", state);
        }
    }

    /** A publication on {@value Dlna#STATE_TOPIC}; the message is released by the client. */
    void publication(Message message) {
        String state = stateIn(message, peer(message), message.subject() + " publication");
        if (state != null) {
            received(publications, "upnp <- " + message.subject() + " publication: '{}'", state);
        }
    }

    /**
     * The state a reply to GET carries, or null, dropped and said so as a NOTIFY is; the reply is released.
     * Whoever holds the name dlna answers (a peer over the socket may claim it while dlna is undeployed or
     * restarting): taken as it came, its reply would be upnp's idea of dlna's state as a NOTIFY's was.
     */
    String replied(Message reply) {
        try {
            return stateIn(reply, Dlna.NAME, "reply to GET");
        } finally {
            reply.release();
        }
    }

    /**
     * The state a reply to SET says dlna had, quoted, or else only its length, for the log; the reply is released.
     * It comes from whoever holds the name dlna, as a reply to GET does: logged as it came, it was up to a frame
     * long, at INFO on the first round. The round holds all the same: the SET was taken, and its GET checks.
     */
    static String previous(Message reply) {
        try {
            ByteBuf payload = reply.payload();
            return Dlna.isState(payload) ? "'" + payload.toString(StandardCharsets.UTF_8) + "'"
                    : "a reply of " + payload.readableBytes() + " bytes, no dlna state";
        } finally {
            reply.release();
        }
    }

    /**
     * The state the message carries, or null, the message dropped and said so, if its payload could not be one
     * of dlna's states. Any peer may send upnp this NOTIFY or publish on the topic: taken as it came, a frame of
     * megabytes, or bytes each decoded to U+FFFD, would be upnp's idea of dlna's state, shown by its STATUS.
     */
    private String stateIn(Message message, String peer, String what) {
        ByteBuf payload = message.payload();
        if (Dlna.isState(payload)) {
            return payload.toString(StandardCharsets.UTF_8);
        }
        int bytes = payload.readableBytes();
        String format = "upnp <- peer {}: {} dropped: {} bytes{}, and dlna's state is 1 to {} bytes of UTF-8";
        Object[] arguments = {peer, what, bytes,
            bytes > 0 && bytes <= Dlna.MAX_STATE_BYTES ? " that are not UTF-8" : "", Dlna.MAX_STATE_BYTES};
        if (dropped.countFirst()) {
            log.warn(format + " (first one; the following ones are logged at DEBUG)", arguments);
        } else {
            log.debug(format, arguments);
        }
        return null;
    }

    private static String peer(Message message) {
        return Integer.toUnsignedString(message.source());
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
        long refused = dropped.drain();
        if (notified + published + refused == 0) {
            return null;
        }
        return "received " + notified + " NOTIFY and " + UpnpService.count(published, Dlna.STATE_TOPIC + " publication")
                + (refused == 0 ? "" : ", " + refused + " dropped (not a dlna state)");
    }

    private void received(Exchanges kind, String format, String state) {
        if (kind.countFirst()) {
            log.info(format + " (first one; the following ones are logged at DEBUG)", state);
        } else {
            log.debug(format, state);
        }
    }
}
