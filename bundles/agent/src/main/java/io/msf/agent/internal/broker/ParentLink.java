package io.msf.agent.internal.broker;

import io.msf.protocol.api.Message;
import java.util.concurrent.CompletionStage;

/**
 * The way from this container's broker to its parent container's agent, as the broker sees it
 * ({@link UplinkPeer}); the uplink package implements it over the client library. The broker
 * calls the message methods on its routing threads, so none of them may block.
 */
public interface ParentLink {

    /** True while messages can go to the parent: otherwise the broker answers PEER_OFFLINE at once. */
    boolean connected();

    /**
     * Sends a REQUEST (taken over) to the parent, addressed as it is, with the given timeout.
     *
     * @return completes, on the uplink's I/O thread, with the parent's REPLY (the receiver releases it) or fails with an
     *     {@link io.msf.client.api.AgentException} carrying the parent's error code
     */
    CompletionStage<Message> request(Message request, int timeoutMillis);

    /** Sends a NOTIFY (taken over) to the parent; the stage fails if it could not be sent. */
    CompletionStage<Void> notify(Message notification);

    /** Publishes a copy of a local publication (taken over) in the parent. */
    void publish(Message publication);

    /** The names and ids local peers claim changed: {@link UplinkRouting#claims()} tells the new ones. */
    void claimsChanged();

    /** The subscription patterns of local peers changed: {@link UplinkRouting#patterns()} tells the new ones. */
    void patternsChanged();

    /** For {@code agent:peers}: the parent, the link's state and what it exports. */
    String describe();
}
