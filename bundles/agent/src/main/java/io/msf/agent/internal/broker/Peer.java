package io.msf.agent.internal.broker;

import io.msf.agent.api.PeerInfo;
import io.msf.agent.api.PeerKind;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import java.time.Instant;

/**
 * Something the broker routes to and from: a connection, an in-container handler or a bundle's
 * client. Each has an id (claimed or assigned), maybe a name, and its own counters.
 *
 * <p>Every request the broker forwards is kept under its requester (by sequence, to match the
 * answer, and to fail it when its destination leaves), on the thread that owns the requester's
 * {@link OutstandingRequests}, and counted in flight at its destination.
 */
public abstract class Peer {

    final int id;
    final String name;
    final PeerKind kind;
    final String origin;
    final Instant since = Instant.now();
    final PeerStats stats = new PeerStats();
    /** Requests this peer sent, by sequence. */
    final OutstandingRequests outstanding;
    private volatile boolean closed;
    /** Why the agent ended the peer, for the requesters still waiting for it; empty: it left on its own. */
    private volatile String departure = "";

    Peer(int id, String name, PeerKind kind, String origin, OutstandingRequests outstanding) {
        this.id = id;
        this.name = name;
        this.kind = kind;
        this.origin = origin;
        this.outstanding = outstanding;
    }

    /** The id messages from this peer carry as their source. */
    public int id() {
        return id;
    }

    /** The claimed name, or the empty string. */
    public String name() {
        return name;
    }

    /** Whether the peer is outside the container (a connection, or the parent agent's peers through the uplink). */
    boolean outside() {
        return kind == PeerKind.UNIX || kind == PeerKind.TCP || kind == PeerKind.UPLINK;
    }

    /**
     * Hands {@code message} (a REQUEST outside the tracked path, NOTIFY, REPLY, ERROR or PUBLISH)
     * to the peer, which takes it over.
     */
    abstract void deliver(Message message);

    /**
     * Runs {@code check}, of an answer that matched no request of this peer, on its owner thread once
     * the requests of the connections it took over are orphans where they went, as the answer may be
     * to one of them: at once, but for a connection whose REPLACE took over one on another loop
     * ({@link SocketPeer#waitForOrphans}).
     */
    void checkUnmatchedAnswer(Runnable check) {
        check.run();
    }

    /**
     * Hands a NOTIFY from {@code from} to the peer, which takes it over; one it cannot take any more
     * (it has left) gets {@code from} an ERROR PEER_OFFLINE, as an undeliverable NOTIFY does
     * (docs/protocol.md section 8).
     */
    void deliverNotification(Message notification, Peer from) {
        deliver(notification);
    }

    /** Hands a tracked request to the peer, which takes it over; its answer goes to {@link Broker#answer}. */
    void deliverRequest(Message request, PendingRequest pending) {
        deliver(request);
    }

    /** Counts a request forwarded to this peer until it is settled (then {@link #untrack}, once). */
    void track(PendingRequest pending) {
        stats.inFlight.incrementAndGet();
    }

    void untrack(PendingRequest pending) {
        stats.inFlight.decrementAndGet();
    }

    /**
     * Tells the peer that something it sent failed (not an answer to its own request: those go
     * through {@link PendingRequest}), and counts it in the peer's errors: callers don't.
     */
    abstract void error(ErrorCode code, int command, long sequence, String detail);

    /**
     * How much longer than a request's timeout the broker waits before it answers TIMEOUT itself:
     * 0, but for a peer that enforces the timeout further on.
     */
    int timerSlackMillis() {
        return 0;
    }

    /** The largest frame the peer accepts, header included. */
    int maxFrameBytes() {
        return Integer.MAX_VALUE;
    }

    /** Messages queued for the peer and not yet written (an estimate for a connection). */
    int queueDepth() {
        return 0;
    }

    long bytesIn() {
        return stats.bytesIn.sum();
    }

    long bytesOut() {
        return stats.bytesOut.sum();
    }

    boolean isClosed() {
        return closed;
    }

    /** Marks the peer gone; true only for the first call. */
    synchronized boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    /**
     * Records why the agent ends this peer ({@code evicted: ...}), before its end is routed: the
     * requests outstanding to it fail saying so, and a requester can tell a responder that was too
     * slow from one that crashed. The first reason stays.
     */
    synchronized void departing(String why) {
        if (departure.isEmpty()) {
            departure = why;
        }
    }

    /** Why the agent ended this peer, or empty. */
    String departure() {
        return departure;
    }

    /** Where the peer comes from, as {@code agent:peers} shows it. */
    String describeOrigin() {
        return origin;
    }

    /** {@code 'upnp' (#42)}, or {@code #42} without a name. */
    public String label() {
        String number = "#" + Integer.toUnsignedString(id);
        return name.isEmpty() ? number : "'" + name + "' (" + number + ")";
    }

    PeerInfo info() {
        long[] latency = stats.latency.percentiles();
        return new PeerInfo(id, name, kind, describeOrigin(), since, stats.messagesIn.sum(), stats.messagesOut.sum(),
                bytesIn(), bytesOut(), queueDepth(), stats.inFlight.get(), stats.errors.sum(), latency[0], latency[1],
                latency[2]);
    }

    @Override
    public String toString() {
        return kind + " peer " + label() + " from " + origin;
    }
}
