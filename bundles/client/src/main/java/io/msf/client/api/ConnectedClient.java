package io.msf.client.api;

import java.time.Duration;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An {@link AgentClient} in another process than the agent, over a Unix domain socket or TCP.
 *
 * <p>It answers the agent's heartbeats, pings the agent to notice a dead one, and when the
 * connection is lost it reconnects with exponential backoff and registers again with the same
 * name, handler and subscriptions, and the same id if it claimed one (HELLO with REPLACE). An id
 * the agent assigned is not claimed again (the agent gives none back): the client asks for a new
 * one, which {@link #id()} returns from then on. While it is not connected, requests fail
 * at once with PEER_OFFLINE rather than queue without bound; requests outstanding when the
 * connection dropped fail the same way.
 */
@ProviderType
public interface ConnectedClient extends AgentClient, AutoCloseable {

    ConnectionState state();

    /**
     * Waits until the client is registered.
     *
     * @param timeout how long at most; any length ({@code ChronoUnit.FOREVER.getDuration()}: as long as it takes)
     * @return false if {@code timeout} ran out first or the client is closed
     */
    boolean awaitConnected(Duration timeout) throws InterruptedException;

    /**
     * Calls {@code listener} on every state change, on the client's callback thread (or the
     * {@link ClientOptions.Builder#executor} given), one change at a time, in order.
     */
    void onStateChange(Consumer<ConnectionState> listener);

    /**
     * Closes the connection and stops reconnecting; outstanding requests, and a subscribe waiting
     * for its acknowledgement, fail with PEER_OFFLINE ("the client was closed").
     * Received messages still waiting for the handler or a listener are dropped: a message being
     * given to one on another thread at this moment may still reach it, no later one does.
     * Idempotent, and from any thread; an interrupt does not cut it short (its waits are bounded),
     * the thread stays interrupted.
     */
    @Override
    void close();
}
