package io.msf.client.api;

/** Where a {@link ConnectedClient} is in its life. */
public enum ConnectionState {
    /** Connecting, or registering (HELLO) for the first time. */
    CONNECTING,
    /** Registered with the agent: messages flow. */
    CONNECTED,
    /** The connection was lost; reconnecting with backoff, then registering again. */
    RECONNECTING,
    /** Closed by the application, or refused for good (wrong token, id or name taken, no common version). */
    CLOSED
}
