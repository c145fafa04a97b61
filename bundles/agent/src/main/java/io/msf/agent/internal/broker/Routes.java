package io.msf.agent.internal.broker;

/**
 * Which of a handler's addresses lead to it: its id and its name, in the directory in-container peers
 * read and in the one connections and the uplink read (they differ for a bundle held from outside only).
 */
record Routes(boolean byId, boolean byName, boolean outsideById, boolean outsideByName) {

    static final Routes NONE = new Routes(false, false, false, false);

    static Routes of(HandlerPeer handler, Directory inside, Directory outside) {
        return new Routes(inside.byId(handler.id) == handler, routedByName(inside, handler),
                outside.byId(handler.id) == handler, routedByName(outside, handler));
    }

    private static boolean routedByName(Directory directory, HandlerPeer handler) {
        return !handler.name.isEmpty() && directory.byName(handler.name) == handler;
    }

    /** The addresses that lead to the handler in either: for marks that may only go on. */
    Routes or(Routes other) {
        return new Routes(byId || other.byId, byName || other.byName, outsideById || other.outsideById,
                outsideByName || other.outsideByName);
    }

    /** Whether a message to {@code name} (empty: to the handler's id) from a peer inside or {@code outside} leads here. */
    boolean leadHere(String name, boolean outside) {
        if (outside) {
            return name.isEmpty() ? outsideById : outsideByName;
        }
        return name.isEmpty() ? byId : byName;
    }
}
