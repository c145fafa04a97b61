package io.msf.net.internal;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import org.osgi.service.log.Logger;

/**
 * Admits a server's connections up to its maximum and keeps the admitted ones, so that closing
 * the endpoint closes them too. A connection beyond the maximum is closed at once.
 */
final class ConnectionGate {

    private final EndpointLabel endpoint;
    private final EndpointCounters counters;
    private final ChannelGroup admitted;
    private final Logger log;
    /** Set at the first refusal while full, so that a flood of connections logs one WARN, not one each. */
    private volatile boolean full;

    ConnectionGate(EndpointLabel endpoint, EndpointCounters counters, EventExecutor executor, Logger log) {
        this.endpoint = endpoint;
        this.counters = counters;
        // stayClosed: a connection accepted while the endpoint closes is closed as it is added, not leaked.
        this.admitted = new DefaultChannelGroup(endpoint.get(), executor, true);
        this.log = log;
    }

    /** Admits the connection, or closes it and returns false if the server is full. */
    boolean admit(Channel child, int maxConnections) {
        if (counters.connections.incrementAndGet() > maxConnections) {
            counters.connections.decrementAndGet();
            if (!full) {
                full = true;
                log.warn("{}: refused the connection from {}: maxConnections={} reached (further refusals are"
                        + " logged at DEBUG until a connection closes)", endpoint.get(), Peers.peer(child), maxConnections);
            } else {
                log.debug("{}: refused the connection from {}: maxConnections={} reached", endpoint.get(),
                        Peers.peer(child), maxConnections);
            }
            child.close();
            return false;
        }
        child.closeFuture().addListener(f -> {
            counters.connections.decrementAndGet();
            full = false;
        });
        admitted.add(child);
        return true;
    }

    /** How the lines of this gate, and of the pipelines of the servers that use it, name their endpoint. */
    EndpointLabel label() {
        return endpoint;
    }

    /** A new limit: the next refusal is news again, worth its WARN. */
    void limitChanged() {
        full = false;
    }

    ChannelGroupFuture closeAll() {
        return admitted.close();
    }
}
