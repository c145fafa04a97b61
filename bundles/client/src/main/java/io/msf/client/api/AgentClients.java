package io.msf.client.api;

import io.msf.client.internal.SocketAgentClient;

/**
 * Connects programs outside the container to its agent.
 *
 * <pre>{@code
 * try (ConnectedClient client = AgentClients.connect(ClientOptions.builder()
 *         .dataDir(Path.of("msf-0.1.0/data")).name("tool").build())) {
 *     Message reply = client.request(Address.name("dlna"), 1, Unpooled.EMPTY_BUFFER, Duration.ofSeconds(5));
 *     ...
 * }
 * }</pre>
 */
public final class AgentClients {

    private AgentClients() {
    }

    /**
     * Connects and registers, waiting up to the options' connect timeout (with TLS, and its
     * handshake timeout).
     *
     * @throws AgentException if the agent refused the registration (UNAUTHORIZED, DUPLICATE_ID,
     *     DUPLICATE_NAME, UNSUPPORTED_VERSION), broke the protocol in its answer, a malformed frame
     *     included (BAD_FRAME, naming the address and what was wrong, a malformed frame's offset too;
     *     {@code onError} hears of it too) or could not be reached in
     *     time (PEER_OFFLINE, naming the address)
     */
    public static ConnectedClient connect(ClientOptions options) {
        return SocketAgentClient.connect(options);
    }
}
