package io.msf.agent.api;

/** How a peer is attached to the agent. */
public enum PeerKind {
    /** A {@code MessageHandler} service in the container: reached by a method call, no socket. */
    HANDLER,
    /** A bundle's {@code AgentClient} service in the container: sends, and gets its replies, without a socket. */
    BUNDLE,
    /** A process connected over the agent's Unix domain socket. */
    UNIX,
    /** A process connected over TCP. */
    TCP,
    /**
     * This container's link to its parent container's agent (a child container only): what the
     * parent's peers send to names and ids of this container comes in through it, and what this
     * container's peers send to names and ids it does not know goes out through it.
     */
    UPLINK
}
