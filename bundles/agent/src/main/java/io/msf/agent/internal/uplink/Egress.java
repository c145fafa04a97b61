package io.msf.agent.internal.uplink;

import io.msf.agent.internal.broker.UplinkPeer;
import io.msf.client.api.AgentClients;
import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.client.api.Subscription;
import io.msf.protocol.api.Message;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.osgi.service.log.Logger;

/**
 * The child's one anonymous connection to the parent's agent: what local peers send to names and
 * ids unknown here goes out on it, local publications are published on it, and it subscribes in
 * the parent to the patterns local subscribers hold (each once, however many hold it).
 *
 * <p>Its client runs every callback on the connection's I/O thread (none of them blocks), so the
 * copies of one publication that several of its patterns match reach {@link #fromParent} one
 * right after the other: remembering the last one is enough to pass it on once.
 */
final class Egress {

    private final UplinkSettings parent;
    /** Set before the first connection; publications from the parent enter the broker through it. */
    private UplinkPeer peer;
    private final Logger log;
    private final Runnable changed;
    private final RetryDelay delay = new RetryDelay();
    /** Owned by the control thread. */
    private final Map<String, Subscription> subscribed = new HashMap<>();
    private volatile ConnectedClient client;
    private long dueNanos = System.nanoTime();
    // Owned by the client's I/O thread:
    private int lastSource;
    private long lastSequence;
    private String lastTopic = "";

    /** @param changed asks the control thread to look again (the connection's state changed) */
    Egress(UplinkSettings parent, Logger log, Runnable changed) {
        this.parent = parent;
        this.log = log;
        this.changed = changed;
    }

    void deliverTo(UplinkPeer broker) {
        this.peer = broker;
    }

    ConnectedClient client() {
        return client;
    }

    boolean connected() {
        ConnectedClient current = client;
        return current != null && current.state() == ConnectionState.CONNECTED;
    }

    /**
     * Connects if there is no live client and the retry delay has passed (blocking up to the
     * connect timeout), on the control thread.
     *
     * @return when to try again, or {@link Long#MAX_VALUE} if connected
     */
    long connect(long now, ClientOptions.Builder options) {
        ConnectedClient current = client;
        if (current != null && current.state() != ConnectionState.CLOSED) {
            return Long.MAX_VALUE;
        }
        if (current != null) {
            // Refused when it registered again (the parent's token changed): start over.
            current.close();
            client = null;
            subscribed.clear();
        }
        if (now - dueNanos < 0) {
            return dueNanos;
        }
        try {
            ConnectedClient joined = AgentClients.connect(options.build());
            joined.onStateChange(state -> stateChanged(joined, state));
            subscribed.clear();
            client = joined;
            delay.succeeded();
            log.info("agent uplink joined the parent agent at {} as #{}", parent.text(),
                    Integer.toUnsignedString(joined.id()));
            return Long.MAX_VALUE;
        } catch (AgentException e) {
            if (delay.failures() == 0) {
                log.error("agent uplink cannot join the parent agent at {} (msf.agent parent, or the property"
                        + " msf.agent.parent): {}; this container keeps serving its own peers and tries again",
                        parent.text(), e.getMessage());
            } else {
                log.debug("agent uplink: attempt {} to join the parent agent at {} failed: {}", delay.failures() + 1,
                        parent.text(), e.getMessage());
            }
            dueNanos = now + delay.failed();
            return dueNanos;
        }
    }

    private void stateChanged(ConnectedClient which, ConnectionState state) {
        if (which != client) {
            return;   // closed here: nothing to report
        }
        if (state == ConnectionState.RECONNECTING) {
            log.info("agent uplink lost the parent agent at {}; reconnecting", parent.text());
        } else if (state == ConnectionState.CONNECTED) {
            log.info("agent uplink rejoined the parent agent at {}", parent.text());
        } else if (state == ConnectionState.CLOSED) {
            log.warn("agent uplink: the parent agent at {} refused to take the link back; joining again",
                    parent.text());
        }
        changed.run();
    }

    /**
     * Subscribes in the parent to the patterns local peers hold and unsubscribes the others, on the
     * control thread while connected.
     *
     * @return false if a subscription failed and should be tried again
     */
    boolean subscribe(Set<String> wanted) {
        ConnectedClient current = client;
        subscribed.entrySet().removeIf(entry -> {
            if (wanted.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().close();
            return true;
        });
        boolean complete = true;
        for (String pattern : wanted) {
            if (!subscribed.containsKey(pattern)) {
                try {
                    subscribed.put(pattern, current.subscribe(pattern, this::fromParent));
                } catch (AgentException e) {
                    log.warn("agent uplink could not subscribe to '{}' in the parent agent at {}: {}", pattern,
                            parent.text(), e.getMessage());
                    complete = false;
                }
            }
        }
        return complete;
    }

    /** A publication from the parent: on to the local subscribers, unless it is this child's own or seen just now. */
    private void fromParent(Message publication) {
        ConnectedClient current = client;
        if (current != null && publication.source() == current.id()) {
            return;
        }
        if (publication.source() == lastSource && publication.sequence() == lastSequence
                && publication.subject().equals(lastTopic)) {
            return;
        }
        lastSource = publication.source();
        lastSequence = publication.sequence();
        lastTopic = publication.subject();
        peer.publish(publication);
    }

    /** Ends the connection (from the control thread, or once it has stopped). */
    void close() {
        ConnectedClient current = client;
        client = null;
        subscribed.clear();
        if (current != null) {
            current.close();
            log.info("agent uplink left the parent agent at {}", parent.text());
        }
    }
}
