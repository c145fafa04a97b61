package io.msf.agent.internal.broker;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The PINGs to one connection's peer, every heartbeatMillis, and its eviction once it has not answered
 * heartbeatMisses of them in a row (docs/protocol.md, section 10). On the connection's event loop.
 *
 * <p>It stops once the agent has ended the peer for another reason (it was cut off, or taken over by
 * a REPLACE): such a connection stays open until its closing ERROR is written, for up to the codec's
 * grace if the peer reads nothing, and meanwhile no PING goes out to it and no PONG of its is heard.
 * Left running, it would evict a peer gone already, logged and counted as a second end.
 *
 * <p>While the agent itself does not read the connection (a REPLACE waiting for the connections it took
 * over on other loops), the peer's PONGs cannot be heard: no PING goes out and no miss is counted then,
 * or a peer that answers would be evicted for the agent's own wait.
 */
final class Heartbeat {

    private final Broker broker;
    private final SocketPeer peer;
    private final String origin;
    private final int intervalMillis;
    /** Ends the connection of a peer evicted. */
    private final Runnable evict;
    private ScheduledFuture<?> beats;
    private int missedPongs;
    private long pingSequence;
    private boolean readsPaused;

    Heartbeat(Broker broker, SocketPeer peer, String origin, int intervalMillis, Runnable evict) {
        this.broker = broker;
        this.peer = peer;
        this.origin = origin;
        this.intervalMillis = intervalMillis;
        this.evict = evict;
    }

    /** Sends the first PING one interval from now. */
    void start(EventExecutor loop) {
        beats = loop.scheduleAtFixedRate(this::beat, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** The peer answered: its misses start again from none. */
    void pong() {
        missedPongs = 0;
    }

    /** Whether the agent has paused its reads of the connection: its PONGs wait unread meanwhile. */
    void readsPaused(boolean paused) {
        readsPaused = paused;
    }

    void stop() {
        if (beats != null) {
            beats.cancel(false);
        }
    }

    private void beat() {
        if (peer.isCut()) {
            stop();
            return;
        }
        if (readsPaused) {
            return;
        }
        if (missedPongs >= broker.settings().heartbeatMisses()) {
            broker.totals.evicted.increment();
            peer.departing("evicted: no PONG to its last " + missedPongs + " PINGs, sent every " + intervalMillis
                    + " ms");
            broker.log.warn("agent peer {} from {} evicted: no PONG to its last {} PINGs, sent every {} ms"
                    + " (msf.agent heartbeatMillis, heartbeatMisses)", peer.label(), origin, missedPongs,
                    intervalMillis);
            stop();
            evict.run();
            return;
        }
        missedPongs++;
        peer.deliver(new Message(MessageType.PING, 0, ErrorCode.OK, 0, peer.id, "", 0, ++pingSequence, 0,
                Unpooled.EMPTY_BUFFER));
    }
}
