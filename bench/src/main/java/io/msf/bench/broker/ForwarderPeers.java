package io.msf.bench.broker;

import io.msf.protocol.api.Protocol;
import io.netty.channel.Channel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the forwarder knows about its connections: their ids, the one responder (the connection
 * that claimed an id or a name) and the subscribers. No names, no patterns, no timeouts: that is
 * the routing the agent does and the forwarder does not.
 */
final class ForwarderPeers {

    /** A connection with the id the forwarder gave it. */
    record Peer(int id, Channel channel) {
    }

    private final Map<Integer, Peer> byId = new ConcurrentHashMap<>();
    private final List<Peer> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextAssignedId = new AtomicInteger(Protocol.FIRST_ASSIGNED_ID);
    private volatile Peer responder;

    /** Registers a connection: claimed ids are granted as they are; 0 gets one assigned. */
    Peer register(int claimedId, boolean claimsName, Channel channel) {
        int id = claimedId != 0 ? claimedId : nextAssignedId.getAndIncrement();
        Peer peer = new Peer(id, channel);
        byId.put(id, peer);
        if (claimedId != 0 || claimsName) {
            responder = peer;
        }
        return peer;
    }

    void unregister(Peer peer) {
        byId.remove(peer.id(), peer);
        subscribers.remove(peer);
        if (responder == peer) {
            responder = null;
        }
    }

    Peer byId(int id) {
        return byId.get(id);
    }

    Peer responder() {
        return responder;
    }

    void subscribe(Peer peer) {
        if (!subscribers.contains(peer)) {
            subscribers.add(peer);
        }
    }

    void unsubscribe(Peer peer) {
        subscribers.remove(peer);
    }

    List<Peer> subscribers() {
        return subscribers;
    }
}
