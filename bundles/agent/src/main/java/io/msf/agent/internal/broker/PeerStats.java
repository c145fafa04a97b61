package io.msf.agent.internal.broker;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one peer, counted from the agent's side for every kind of peer alike: in is what
 * the peer gave the agent, out what the agent gave the peer. Written from every thread that routes to
 * or from it, hence adders; socket peers count their bytes in the pipeline instead ({@link ChannelMeter}).
 */
final class PeerStats {

    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder errors = new LongAdder();
    /** Requests forwarded to the peer and not yet answered. */
    final AtomicInteger inFlight = new AtomicInteger();
    final LatencyRecorder latency = new LatencyRecorder();

    /** A message the peer gave the agent: a request, reply, notification or publication it made. */
    void received(int bytes) {
        messagesIn.increment();
        bytesIn.add(bytes);
    }

    /** A message the agent gave the peer: a request, reply, notification or publication for it. */
    void delivered(int bytes) {
        messagesOut.increment();
        bytesOut.add(bytes);
    }

    /** Takes back {@link #delivered}: what it counted was not given after all (something else answered first). */
    void undelivered(int bytes) {
        messagesOut.decrement();
        bytesOut.add(-bytes);
    }
}
