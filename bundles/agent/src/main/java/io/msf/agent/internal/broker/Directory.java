package io.msf.agent.internal.broker;

import io.msf.protocol.api.Protocol;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who answers to which id and name at one moment: an immutable snapshot, replaced as a whole
 * when a peer comes or goes, so that routing reads it without locks. Ids live in an open-addressing
 * table of primitive keys, so a lookup by id neither boxes nor allocates.
 */
final class Directory {

    static final Directory EMPTY = new Directory(Map.of(), Map.of());

    private final int[] keys;
    private final Peer[] values;
    private final int mask;
    private final Map<String, Peer> byName;

    Directory(Map<Integer, Peer> byId, Map<String, Peer> byName) {
        int capacity = Integer.highestOneBit(Math.max(4, byId.size() * 2)) << 1;
        this.keys = new int[capacity];
        this.values = new Peer[capacity];
        this.mask = capacity - 1;
        byId.forEach(this::put);
        this.byName = Map.copyOf(byName);
    }

    private void put(int id, Peer peer) {
        int slot = slot(id);
        while (values[slot] != null) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = id;
        values[slot] = peer;
    }

    /** The peer reached by {@code id}, or null. */
    Peer byId(int id) {
        for (int slot = slot(id); values[slot] != null; slot = (slot + 1) & mask) {
            if (keys[slot] == id) {
                return values[slot];
            }
        }
        return null;
    }

    /**
     * The names and claimed ids (below {@link io.msf.protocol.api.Protocol#FIRST_ASSIGNED_ID}) this
     * directory routes, one {@link Identity} per peer and name: a name is paired with the id of its
     * peer when that id routes to the same peer.
     */
    List<Identity> identities() {
        List<Identity> identities = new ArrayList<>();
        Set<Integer> paired = new HashSet<>();
        byName.forEach((name, peer) -> {
            boolean withId = claimed(peer.id) && byId(peer.id) == peer;
            if (withId) {
                paired.add(peer.id);
            }
            identities.add(new Identity(name, withId ? peer.id : 0));
        });
        for (int slot = 0; slot < keys.length; slot++) {
            if (values[slot] != null && claimed(keys[slot]) && !paired.contains(keys[slot])) {
                identities.add(new Identity("", keys[slot]));
            }
        }
        return identities;
    }

    private static boolean claimed(int id) {
        return id != Protocol.AGENT_ID && Integer.compareUnsigned(id, Protocol.FIRST_ASSIGNED_ID) < 0;
    }

    /** The peer reached by {@code name}, or null. */
    Peer byName(String name) {
        return byName.get(name);
    }

    private int slot(int id) {
        // Fibonacci hashing spreads the consecutive ids of assigned ranges over the table.
        int hash = id * 0x9E3779B9;
        return (hash ^ hash >>> 16) & mask;
    }
}
