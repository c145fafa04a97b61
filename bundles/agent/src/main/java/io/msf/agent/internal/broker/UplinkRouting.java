package io.msf.agent.internal.broker;

import java.util.List;
import java.util.Set;

/**
 * The broker's side of a child container's link to its parent's agent: where a message that no
 * local peer takes goes ({@link UplinkPeer}), and what the uplink reads of this broker: the names
 * and ids to export, the patterns to subscribe to, and whether its own name is held here.
 */
public final class UplinkRouting {

    private final Broker broker;
    /** The link to the parent container's agent; null in a container without a parent. */
    private volatile UplinkPeer uplink;

    UplinkRouting(Broker broker) {
        this.broker = broker;
    }

    /**
     * Where a request or notification from {@code from} goes: the local peer it addresses (a handler
     * returned has counted it in flight: {@link Broker#resolveAdmitted}), else the parent agent while it
     * is connected, unless the message came from the parent (it would bounce back); or null.
     */
    Peer routeAdmitted(Peer from, String name, int id) {
        Peer local = broker.resolveAdmitted(from, name, id);
        if (local != null) {
            return local;
        }
        UplinkPeer parent = uplink;
        return parent != null && from != parent && parent.connected() ? parent : null;
    }

    /** Why a message to {@code name}/{@code id} from {@code from} has nowhere to go. */
    String offline(Peer from, String name, int id) {
        UplinkPeer parent = uplink;
        return "no peer " + Broker.address(name, id) + " is connected" + (parent == null || from == parent ? ""
                : ", and the link to the parent agent is down (" + parent.describeOrigin() + ")");
    }

    /**
     * Links the broker to its parent's agent: names and ids nobody here holds are looked for
     * there, local publications are published there too, and {@code link} hears when the local
     * claims and subscription patterns change.
     */
    public UplinkPeer attach(ParentLink link) {
        UplinkPeer peer = broker.registry.addAssigned(id -> new UplinkPeer(broker, id, link));
        broker.registry.onChange(link::claimsChanged);
        broker.publications.index.onPatternsChanged(link::patternsChanged);
        broker.publications.upstream(peer);
        uplink = peer;
        broker.log.debug("agent uplink attached as {}", peer.label());
        return peer;
    }

    /** Undoes {@link #attach}; requests waiting for the parent fail with PEER_OFFLINE. */
    public void detach(UplinkPeer peer) {
        if (uplink == peer) {
            uplink = null;
            broker.publications.upstream(null);
            broker.publications.index.onPatternsChanged(null);
            broker.registry.onChange(null);
        }
        broker.departed(peer);
    }

    /** The names and ids local peers hold now, as the parent should route them here. */
    public List<Identity> claims() {
        return broker.registry.claims();
    }

    /** The subscription patterns local peers hold now. */
    public Set<String> patterns() {
        return broker.publications.index.patterns();
    }

    /** True if a local peer holds {@code name}: the uplink sees its own name here when its way up leads back. */
    public boolean holds(String name) {
        return broker.resolve(name, 0) != null;
    }
}
