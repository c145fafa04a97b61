package io.msf.agent.internal.broker;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Every peer and the ids and names they hold; publishes a fresh {@link Directory} after each change.
 *
 * <p>Connections and bundle clients hold their id and name alone. In-container handlers may share
 * one: the directory routes to the one with the highest service ranking, then the lowest service
 * id. A connection cannot claim what a handler holds; a handler registered with what a connection
 * already holds waits, unreachable by it, until that connection leaves.
 *
 * <p>For the deployer's hot swap, handlers are also held and released by bundle: a held bundle's
 * handlers are routed to by nobody; a released bundle's handlers come before the others of the same
 * ranking, the last released first (then the lowest service id, as before). For the container's stop,
 * a bundle may be held from outside only: its handlers are routed to from in-container peers alone, so
 * two directories are kept, the one in-container peers read and the one connections and the uplink read
 * ({@link Peer#outside}).
 */
final class Registry {

    private final Set<Long> heldBundles = new HashSet<>();
    /** Held from connections and the uplink only; never also in {@link #heldBundles}. */
    private final Set<Long> heldFromOutside = new HashSet<>();
    /** Bundle id to the sequence number of its release: a higher number is preferred. */
    private final Map<Long, Long> releasedBundles = new HashMap<>();
    private long releases;

    /** Orders handlers as OSGi ranks services, released bundles first among equals: the first one gets the messages. */
    private final Comparator<HandlerPeer> byRank = Comparator.comparingInt((HandlerPeer handler) -> handler.ranking())
            .reversed()
            .thenComparing(Comparator.comparingLong(this::released).reversed())
            .thenComparingLong(HandlerPeer::serviceId);

    private final Map<Integer, Peer> exclusiveIds = new HashMap<>();
    private final Map<String, Peer> exclusiveNames = new HashMap<>();
    private final List<HandlerPeer> handlers = new ArrayList<>();
    private final Set<Integer> assignedInUse = new HashSet<>();
    private int nextAssigned = Protocol.FIRST_ASSIGNED_ID;
    private volatile Directory directory = Directory.EMPTY;
    /** What peers outside the container reach: {@link #directory} without the handlers held from outside. */
    private volatile Directory outsideDirectory = Directory.EMPTY;
    /** Told after every change of the directory (under this registry's lock: it must only take note). */
    private Runnable onChange;

    /** The outcome of a HELLO's claim: a refusal, or the new peer and the connections it displaced. */
    record Claim(ErrorCode refusal, String detail, Peer peer, List<Peer> displaced) {
    }

    /** What in-container peers reach, and what answers are routed by: every requester is in it. */
    Directory directory() {
        return directory;
    }

    /** What a message from {@code from} may reach: the outside one for a connection or the uplink. */
    Directory directory(Peer from) {
        return from.outside() ? outsideDirectory : directory;
    }

    /** {@code listener} (null: none) is run after every change of the directory; it must not block. */
    synchronized void onChange(Runnable listener) {
        onChange = listener;
    }

    /**
     * What the parent agent may route here. A bundle held from outside stays in it: the parent's new
     * requests are refused here (its peers are outside this container), while what it sent before is
     * answered over the export, which withdrawing the name would close. It goes once held from everyone.
     */
    List<Identity> claims() {
        return directory.identities();
    }

    /**
     * Claims {@code id} (0: assign one) and {@code name} (empty: none) for a connection; on success
     * {@code create} makes its peer with the id granted.
     */
    synchronized Claim claim(int id, String name, boolean replace, IntFunction<Peer> create) {
        if (id != 0 && Integer.compareUnsigned(id, Protocol.FIRST_ASSIGNED_ID) >= 0) {
            return refuse(ErrorCode.DUPLICATE_ID, "id " + Integer.toUnsignedString(id)
                    + " is in the range the agent assigns (2147483648 and up); claim 1..2147483647 or 0");
        }
        List<Peer> displaced = new ArrayList<>(2);
        if (id != 0) {
            String held = holder(exclusiveIds.get(id), handlerWithId(id), replace, displaced);
            if (held != null) {
                return refuse(ErrorCode.DUPLICATE_ID, "id " + id + " is held by " + held);
            }
        }
        if (!name.isEmpty()) {
            String held = holder(exclusiveNames.get(name), handlerWithName(name), replace, displaced);
            if (held != null) {
                return refuse(ErrorCode.DUPLICATE_NAME, "name '" + name + "' is held by " + held);
            }
        }
        displaced.forEach(this::forget);
        Peer peer = create.apply(id != 0 ? id : assign());
        exclusiveIds.put(peer.id, peer);
        if (!name.isEmpty()) {
            exclusiveNames.put(name, peer);
        }
        publish();
        return new Claim(ErrorCode.OK, "", peer, displaced);
    }

    /** Describes who holds a key the newcomer may not take, or adds the holder to {@code displaced}. */
    private static String holder(Peer exclusive, HandlerPeer handler, boolean replace, List<Peer> displaced) {
        if (handler != null) {
            return "the in-container handler " + handler.label() + " of " + handler.origin;
        }
        if (exclusive == null) {
            return null;
        }
        if (!replace || !(exclusive instanceof SocketPeer)) {
            return "the connection from " + exclusive.origin + (replace ? "" : " (REPLACE takes it over)");
        }
        if (!displaced.contains(exclusive)) {
            displaced.add(exclusive);
        }
        return null;
    }

    private static Claim refuse(ErrorCode code, String detail) {
        return new Claim(code, detail, null, List.of());
    }

    /** Registers a bundle's client under an assigned id. */
    synchronized <P extends Peer> P addAssigned(IntFunction<P> create) {
        P peer = create.apply(assign());
        exclusiveIds.put(peer.id, peer);
        publish();
        return peer;
    }

    /** Registers a handler made by {@code create} with its own id, or an assigned one when {@code id} is 0. */
    synchronized HandlerPeer addHandler(int id, IntFunction<HandlerPeer> create) {
        HandlerPeer handler = create.apply(id != 0 ? id : assign());
        handlers.add(handler);
        handlers.sort(byRank);
        publish();
        return handler;
    }

    /** Why {@code handler} cannot be reached by its id or name while a connection holds them, or null. */
    synchronized String blocked(HandlerPeer handler) {
        Peer byId = handler.claimsId() ? exclusiveIds.get(handler.id) : null;
        Peer byName = handler.name.isEmpty() ? null : exclusiveNames.get(handler.name);
        Peer blocking = byId != null ? byId : byName;
        return blocking == null ? null : "its " + (byId != null ? "id" : "name") + " is held by the connection "
                + blocking.label() + " from " + blocking.origin + "; it takes over when that connection leaves";
    }

    /**
     * Gives the handler its new ranking and re-sorts the handlers, in one step under the lock: a ranking
     * changed while another change sorts them would break the sort's contract (TimSort may throw), and the
     * ranking shown would not be the one routed by.
     */
    synchronized void rerank(HandlerPeer handler, int ranking) {
        handler.ranking(ranking);
        handlers.sort(byRank);
        publish();
    }

    /** No message goes to the handlers of this bundle (present or to come) until {@link #release}. */
    synchronized void hold(long bundleId) {
        heldFromOutside.remove(bundleId);
        heldBundles.add(bundleId);
        publish();
    }

    /**
     * No message from a connection or the uplink goes to the handlers of this bundle (present or to
     * come) until {@link #release}; in-container peers still reach them. A bundle held already stays so.
     */
    synchronized void holdFromOutside(long bundleId) {
        if (!heldBundles.contains(bundleId) && heldFromOutside.add(bundleId)) {
            publish();
        }
    }

    /** The bundle's handlers get messages again, from everyone, before any other of the same ranking. */
    synchronized void release(long bundleId) {
        heldBundles.remove(bundleId);
        heldFromOutside.remove(bundleId);
        releasedBundles.put(bundleId, ++releases);
        handlers.sort(byRank);
        publish();
    }

    /** The bundle is gone: forget that it was held or released. */
    synchronized void forget(long bundleId) {
        boolean changed = heldBundles.remove(bundleId) | heldFromOutside.remove(bundleId)
                | releasedBundles.remove(bundleId) != null;
        if (changed) {
            handlers.sort(byRank);
            publish();
        }
    }

    /** Requests the bundle's handlers have been given and not answered yet. */
    synchronized int inFlight(long bundleId) {
        int sum = 0;
        for (HandlerPeer handler : handlers) {
            if (handler.bundleId() == bundleId) {
                sum += handler.inFlight();
            }
        }
        return sum;
    }

    private long released(HandlerPeer handler) {
        return releasedBundles.getOrDefault(handler.bundleId(), 0L);
    }

    /** Removes {@code peer} if it is still registered. */
    synchronized void remove(Peer peer) {
        boolean removed = peer instanceof HandlerPeer ? removeHandler((HandlerPeer) peer) : forget(peer);
        if (removed) {
            publish();
            if (peer instanceof HandlerPeer) {
                ((HandlerPeer) peer).routed(Routes.NONE); // after the switch, as publish() does
            }
        }
    }

    synchronized List<Peer> peers() {
        List<Peer> all = new ArrayList<>(exclusiveIds.values());
        all.addAll(handlers);
        return all;
    }

    private boolean forget(Peer peer) {
        boolean removed = exclusiveIds.remove(peer.id, peer);
        if (!peer.name.isEmpty()) {
            exclusiveNames.remove(peer.name, peer);
        }
        if (removed && Integer.compareUnsigned(peer.id, Protocol.FIRST_ASSIGNED_ID) >= 0) {
            assignedInUse.remove(peer.id);
        }
        return removed;
    }

    private boolean removeHandler(HandlerPeer handler) {
        boolean removed = handlers.remove(handler);
        if (removed && !handler.claimsId()) {
            assignedInUse.remove(handler.id);
        }
        return removed;
    }

    private HandlerPeer handlerWithId(int id) {
        for (HandlerPeer handler : handlers) {
            if (handler.claimsId() && handler.id == id) {
                return handler;
            }
        }
        return null;
    }

    private HandlerPeer handlerWithName(String name) {
        for (HandlerPeer handler : handlers) {
            if (handler.name.equals(name)) {
                return handler;
            }
        }
        return null;
    }

    /** The next free id from 0x80000000 up, wrapping around within the assigned range. */
    private int assign() {
        while (true) {
            int candidate = nextAssigned;
            nextAssigned = nextAssigned == -1 ? Protocol.FIRST_ASSIGNED_ID : nextAssigned + 1;
            if (assignedInUse.add(candidate)) {
                return candidate;
            }
        }
    }

    private void publish() {
        Directory next = build(heldBundles);
        Set<Long> fromOutside = new HashSet<>(heldBundles);
        fromOutside.addAll(heldFromOutside);
        Directory nextOutside = heldFromOutside.isEmpty() ? next : build(fromOutside);
        // Requests check a handler's marks after resolving it (HandlerPeer.admit), and resolve again
        // when its mark is off: a mark must never be off while the directory they may have just read
        // routes there. So the marks go on before the switch, and off after it.
        for (HandlerPeer handler : handlers) {
            handler.routedAlso(Routes.of(handler, next, nextOutside));
        }
        directory = next;
        outsideDirectory = nextOutside;
        for (HandlerPeer handler : handlers) {
            handler.routed(Routes.of(handler, next, nextOutside));
        }
        if (onChange != null) {
            onChange.run();
        }
    }

    /** The peers and the handlers of bundles not in {@code held}, the first ranked of each id and name. */
    private Directory build(Set<Long> held) {
        Map<Integer, Peer> ids = new HashMap<>(exclusiveIds);
        Map<String, Peer> names = new HashMap<>(exclusiveNames);
        for (HandlerPeer handler : handlers) {
            if (held.contains(handler.bundleId())) {
                continue;
            }
            ids.putIfAbsent(handler.id, handler);
            if (!handler.name.isEmpty()) {
                names.putIfAbsent(handler.name, handler);
            }
        }
        return new Directory(ids, names);
    }
}
