package io.msf.agent.internal.broker;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link RepeatedWarnings} for each peer address, for what anyone who can reach the agent's port
 * may cause as often as they connect: a connection closed for a malformed frame (a port scanner, an
 * HTTP probe, a client of another protocol), before any token is checked. The first from an address
 * is logged in full; the next ones from it are counted and told once a minute, until a minute passes
 * without any, when the address is forgotten. At most {@value #MAX_ADDRESSES} addresses are counted
 * apart at once and any further one shares a last count, so that a peer with many addresses (an IPv6
 * prefix) makes at most {@value #MAX_ADDRESSES} + 1 lines a minute, and holds no more memory.
 *
 * <p>Connections close for a malformed frame on every event loop: the map is guarded by this, which
 * is taken before each {@link RepeatedWarnings}' own lock, never after.
 */
final class PeerAddressWarnings {

    /** At most this many addresses have lines of their own at once. */
    static final int MAX_ADDRESSES = 20;

    private final Broker broker;
    private final String about;
    /** Guarded by this. */
    private final Map<String, RepeatedWarnings> byAddress = new HashMap<>();
    private final RepeatedWarnings further;

    /** {@code about}: what is counted, as in "agent, malformed frames from tcp 10.0.0.7". */
    PeerAddressWarnings(Broker broker, String about) {
        this.broker = broker;
        this.about = about;
        this.further = new RepeatedWarnings(broker, "agent, " + about + " from further addresses (at most "
                + MAX_ADDRESSES + " are counted apart)");
    }

    /**
     * @param address the peer's, without what tells its connections apart ({@link Origins#addressOf})
     * @param what the connection and what happened to it, as precise as a line of its own would be
     */
    synchronized void warn(String address, String what) {
        of(address).warn(what, null);
    }

    /** The warnings of {@code address}: its own, made now if it has none, or the further addresses' ones. */
    synchronized RepeatedWarnings of(String address) {
        RepeatedWarnings warnings = byAddress.get(address);
        if (warnings == null) {
            if (byAddress.size() >= MAX_ADDRESSES) {
                return further;
            }
            warnings = new RepeatedWarnings(broker, "agent, " + about + " from " + address, () -> forget(address));
            byAddress.put(address, warnings);
        }
        return warnings;
    }

    /** How many addresses are counted apart now. */
    synchronized int addresses() {
        return byAddress.size();
    }

    private synchronized void forget(String address) {
        RepeatedWarnings warnings = byAddress.get(address);
        // A warning may have begun a new episode since the last one ended: that address stays.
        if (warnings != null && warnings.quiet()) {
            byAddress.remove(address);
        }
    }
}
