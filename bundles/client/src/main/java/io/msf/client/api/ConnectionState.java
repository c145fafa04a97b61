package io.msf.client.api;

/** Where a {@link ConnectedClient} is in its life. */
public enum ConnectionState {
    /** Connecting, or registering (HELLO) for the first time. */
    CONNECTING,
    /** Registered with the agent: messages flow. */
    CONNECTED,
    /** The connection was lost; reconnecting with backoff, then registering again. */
    RECONNECTING,
    /**
     * Closed by the application, or refused for good (wrong token, id or name taken, no common
     * version): any ERROR the agent answers a HELLO with, but one. The agent refuses a HELLO that
     * came after its hello timeout (UNAUTHORIZED "no HELLO within ... ms"; its clock counts a TLS
     * handshake too) because it or the network was slow: on a reconnect the client tries again with
     * backoff; on the first connect, as every refusal, it is the answer of
     * {@link AgentClients#connect}.
     */
    CLOSED
}
