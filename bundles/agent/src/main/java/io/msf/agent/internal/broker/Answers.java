package io.msf.agent.internal.broker;

import io.msf.client.api.AgentException;
import io.msf.protocol.api.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Gives an in-container requester (a bundle's client, the uplink) the answer to its request through
 * the request's future, and counts it out as a connection's answer frame is counted when written:
 * replies and errors alike, whether the responder gave the error or the agent did (a timeout, a peer
 * offline). An error counts one message and no bytes: its text is the agent's, not a payload.
 *
 * <p>An error of the agent's own ({@link #agentError}, {@link #agentThrown}: a TIMEOUT, a PEER_OFFLINE,
 * a request it refused) counts in the requester's errors too, as the agent's ERROR frame to a
 * connection does ({@link Peer#error}); a responder's error it passes on does not, for either.
 *
 * <p>It is counted before the future completes, so that a requester that sees its answer finds it
 * counted, and taken back if the future was completed first by something else (the request's timer,
 * the requester's close, the requester giving up on it): an answer that did not land was not given.
 */
final class Answers {

    private Answers() {
    }

    /** Completes {@code future} with {@code reply}; false, the reply not counted and not released, if it was done. */
    static boolean reply(Peer requester, CompletableFuture<Message> future, Message reply) {
        int bytes = reply.payload().readableBytes();
        requester.stats.delivered(bytes);
        if (future.complete(reply)) {
            return true;
        }
        requester.stats.undelivered(bytes);
        return false;
    }

    /** Fails {@code future} with {@code error}; false, nothing counted, if it was done. */
    static boolean error(Peer requester, CompletableFuture<Message> future, AgentException error) {
        requester.stats.delivered(0);
        if (future.completeExceptionally(error)) {
            return true;
        }
        requester.stats.undelivered(0);
        return false;
    }

    /** {@link #error} for an error of the agent's own: one of the requester's errors too, if it was given. */
    static boolean agentError(Peer requester, CompletableFuture<Message> future, AgentException error) {
        requester.stats.errors.increment();
        if (error(requester, future, error)) {
            return true;
        }
        requester.stats.errors.decrement();
        return false;
    }

    /**
     * {@link #agentError(Peer, CompletableFuture, AgentException)} counted in the agent's {@code total} too
     * (its timeouts, its peers offline), and taken back with the rest if it was not given: a requester
     * that had given up on the request got no such error.
     */
    static boolean agentError(Peer requester, CompletableFuture<Message> future, AgentException error,
            LongAdder total) {
        total.increment();
        if (agentError(requester, future, error)) {
            return true;
        }
        total.decrement();
        return false;
    }

    /** {@link #thrown} for an error of the agent's own: one of the requester's errors too. */
    static AgentException agentThrown(Peer requester, AgentException error) {
        requester.stats.errors.increment();
        return thrown(requester, error);
    }

    /** Counts an error its caller is given at once, thrown or as a failed stage: it always lands. */
    static AgentException thrown(Peer requester, AgentException error) {
        requester.stats.delivered(0);
        return error;
    }
}
