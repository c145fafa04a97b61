package io.msf.agent.internal.uplink;

import io.msf.agent.internal.broker.UplinkPeer;
import io.msf.client.api.AgentClients;
import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.client.api.Subscription;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.Topic;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.osgi.service.log.Logger;

/**
 * The child's one connection to the parent's agent for what is not exported: what local peers send
 * to names and ids unknown here goes out on it, local publications are published on it, and it
 * subscribes in the parent to the patterns local subscribers hold (each once, however many hold it).
 * It registers under {@link Uplink#name()}, a name no other agent has, so that this container sees
 * it in its own registry when its parent is itself or a cycle of parents leads back to it.
 *
 * <p>A publication that several of its patterns match arrives once per pattern: it is passed on
 * through the first of them in a fixed (sorted) order only, which needs no memory of what came.
 */
final class Egress {

    private final UplinkSettings parent;
    private final String name;
    private final Logger log;
    private final Runnable changed;
    private final BooleanSupplier closing;
    private final RetryDelay delay = new RetryDelay();
    /** Set before the first connection; publications from the parent enter the broker through it. */
    private UplinkPeer entry;
    /** Owned by the control thread. */
    private final Map<String, Subscription> subscribed = new HashMap<>();
    /** Patterns the parent refused with OVERLOADED, not asked for again until the wanted set changes. */
    private final Set<String> refusedPatterns = new HashSet<>();
    private Set<String> lastWanted = Set.of();
    /** The subscribed patterns, sorted: read by the I/O thread to pass each publication on once. */
    private volatile List<String> order = List.of();
    private volatile int refusedCount;
    private volatile ConnectedClient client;
    private long dueNanos = System.nanoTime();

    /**
     * @param name the name to register under in the parent
     * @param changed asks the control thread to look again (the connection's state changed)
     * @param closing true once the uplink is closing: nothing is logged as a failure then
     */
    Egress(UplinkSettings parent, String name, Logger log, Runnable changed, BooleanSupplier closing) {
        this.parent = parent;
        this.name = name;
        this.log = log;
        this.changed = changed;
        this.closing = closing;
    }

    void deliverTo(UplinkPeer uplinkPeer) {
        this.entry = uplinkPeer;
    }

    ConnectedClient client() {
        return client;
    }

    boolean connected() {
        ConnectedClient current = client;
        return current != null && current.state() == ConnectionState.CONNECTED;
    }

    /** How many subscription patterns the parent refused (OVERLOADED). */
    int refusedPatterns() {
        return refusedCount;
    }

    /**
     * Connects if there is no live client and the retry delay has passed (blocking up to the
     * connect timeout), on the control thread.
     *
     * @param joinedItself true if this container's registry now holds {@link #name}: the parent is itself
     * @return when to try again, {@link Long#MAX_VALUE} if connected, or {@link Long#MIN_VALUE} if the
     *     parent turned out to be this very container (the new connection is closed again)
     */
    long connect(long now, ClientOptions.Builder options, BooleanSupplier joinedItself) {
        ConnectedClient current = client;
        if (current != null && current.state() != ConnectionState.CLOSED) {
            return Long.MAX_VALUE;
        }
        if (current != null) {
            // Refused when it registered again (the parent's token changed): start over.
            close(false);
        }
        if (now - dueNanos < 0) {
            return dueNanos;
        }
        ConnectedClient joined;
        try {
            joined = AgentClients.connect(options.name(name).build());
        } catch (AgentException e) {
            if (closing.getAsBoolean()) {
                return Long.MAX_VALUE;
            } else if (delay.failures() == 0) {
                log.error("agent uplink cannot join the parent agent at {} (msf.agent parent, or the property"
                        + " msf.agent.parent): {}; this container keeps serving its own peers and tries again",
                        parent.text(), parent.refusal(e));
            } else {
                log.debug("agent uplink: attempt {} to join the parent agent at {} failed: {}", delay.failures() + 1,
                        parent.text(), e.getMessage());
            }
            dueNanos = now + delay.failed();
            return dueNanos;
        }
        // Checked before anything is sent on it: a publication would go round and round.
        if (closing.getAsBoolean() || joinedItself.getAsBoolean()) {
            joined.close();
            return closing.getAsBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        joined.onStateChange(state -> stateChanged(joined, state));
        refusedPatterns.clear();
        lastWanted = Set.of();
        client = joined;
        delay.succeeded();
        log.info("agent uplink joined the parent agent at {} as '{}' (#{})", parent.text(), name,
                Integer.toUnsignedString(joined.id()));
        return Long.MAX_VALUE;
    }

    private void stateChanged(ConnectedClient which, ConnectionState state) {
        if (which != client || closing.getAsBoolean()) {
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
     * control thread while connected. A pattern the parent refuses as one too many (OVERLOADED) is
     * logged once and left alone until the wanted patterns change.
     *
     * @return false if a subscription failed otherwise and should be tried again
     */
    boolean subscribe(Set<String> wanted) {
        ConnectedClient current = client;
        if (!wanted.equals(lastWanted)) {
            lastWanted = Set.copyOf(wanted);
            refusedPatterns.clear();
        }
        // Out of the order first: the remaining patterns take over before the subscription ends.
        Set<String> kept = new HashSet<>(subscribed.keySet());
        kept.retainAll(wanted);
        publishOrder(kept);
        subscribed.entrySet().removeIf(entry -> {
            if (wanted.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().close();
            return true;
        });
        boolean complete = true;
        for (String pattern : wanted) {
            if (subscribed.containsKey(pattern) || refusedPatterns.contains(pattern)) {
                continue;
            }
            try {
                subscribed.put(pattern, current.subscribe(pattern, publication -> fromParent(pattern, publication)));
            } catch (AgentException e) {
                if (closing.getAsBoolean()) {
                    return true;
                }
                if (e.code() == ErrorCode.OVERLOADED) {
                    refusedPatterns.add(pattern);
                    log.warn("agent uplink: the parent agent at {} refused the subscription to '{}': {}; local"
                            + " subscribers get no publications of the parent by it until the patterns change",
                            parent.text(), pattern, e.getMessage());
                } else {
                    log.warn("agent uplink could not subscribe to '{}' in the parent agent at {}: {}", pattern,
                            parent.text(), e.getMessage());
                    complete = false;
                }
            }
        }
        refusedCount = refusedPatterns.size();
        publishOrder(subscribed.keySet());
        return complete;
    }

    private void publishOrder(Set<String> patterns) {
        order = patterns.stream().sorted().toList();
    }

    /**
     * A publication from the parent through the subscription to {@code pattern}: on to the local
     * subscribers, unless it is this child's own or an earlier pattern of the order takes it.
     */
    private void fromParent(String pattern, Message publication) {
        ConnectedClient current = client;
        if (current != null && publication.source() == current.id()) {
            return;
        }
        for (String first : order) {
            if (Topic.matches(first, publication.subject())) {
                if (first.equals(pattern)) {
                    entry.publish(publication);
                }
                return;
            }
        }
    }

    /** Ends the connection, on the control thread; {@code leaving}: say so in the log. */
    void close(boolean leaving) {
        ConnectedClient current = client;
        client = null;
        subscribed.clear();
        order = List.of();
        if (current != null) {
            current.close();
            if (leaving) {
                log.info("agent uplink left the parent agent at {}", parent.text());
            }
        }
    }
}
