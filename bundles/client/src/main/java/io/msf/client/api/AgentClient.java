package io.msf.client.api;

import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends through the agent: requests (sync with a timeout, or async), notifications, publications
 * and subscriptions. libmsf's client library, for Java.
 *
 * <p>Inside the container every bundle gets its own instance as an OSGi service (bundle scope):
 * messages between handlers in the container never touch a socket, and the buffers it allocates
 * are charged to that bundle. Outside the container {@link AgentClients#connect} returns one that
 * talks to the agent over a Unix domain socket or TCP. The two behave the same; code written
 * against this interface runs in both places.
 *
 * <p>Payloads passed in are taken over (released by the client once sent); messages handed out
 * are the receiver's to release. Every method is thread-safe and none blocks except
 * {@link #request}, which waits for the reply, and {@link #subscribe}, which waits for the agent's
 * acknowledgement. No argument may be null: a null one is refused with a
 * {@link NullPointerException} naming it ({@code "payload"}), and a payload passed along is released
 * all the same.
 */
@ProviderType
public interface AgentClient {

    /** The id the agent knows this client by (inside the container: one per bundle). */
    int id();

    /** The name this client claimed, or the empty string. */
    String name();

    /** Allocates payload buffers (pooled; inside the container charged to the calling bundle). */
    ByteBufAllocator alloc();

    /**
     * Sends a request and waits for its reply.
     *
     * @param timeout how long the agent waits for the reply; {@link Duration#ZERO} for its default;
     *     at most 2^31 - 1 ms, what a request carries (IllegalArgumentException otherwise, the payload
     *     released)
     * @return the REPLY; the caller releases it
     * @throws AgentException TIMEOUT, PEER_OFFLINE, NO_HANDLER, REMOTE_ERROR (the handler's failure),
     *     OVERLOADED, TOO_LARGE, or PEER_OFFLINE when the connection to the agent is lost; TIMEOUT
     *     ("interrupted while waiting") at once when the calling thread is interrupted, which stays
     *     interrupted: the request is sent all the same, a reply that still comes is released, and
     *     the client stays usable
     * @throws IllegalStateException at once, nothing sent, on the thread that would read the answer:
     *     the plain-Java client's I/O thread, or in the container the event loop of the connection to
     *     the container's agent the request is for (a handler called by that connection runs there);
     *     use {@link #requestAsync}. (A handler of a child container called from its parent that asks the
     *     parent synchronously gets its answer, which comes in on another thread than the parent's
     *     requests; it holds up the other requests from the parent meanwhile, as any blocking handler.)
     */
    Message request(Address to, int command, ByteBuf payload, Duration timeout);

    /**
     * Sends a request; the stage completes with the REPLY (the receiver releases it) or fails with
     * an {@link AgentException} as {@link #request} throws it. The stage completes on an agent
     * thread: don't block in its callbacks.
     *
     * <p>Outside the container ({@link ConnectedClient}) that thread is the client's callback thread
     * (or the {@link ClientOptions.Builder#executor} given), which also runs the handler, the
     * listeners and onError; one of them may wait for the stage ({@code join()}, {@code get()}, also of
     * a stage made from it, composed or combined with the client's other stages): the wait completes
     * the stage of this call itself once its answer is in, on the thread it holds, instead of waiting for
     * the completion queued behind it, and runs no other call's actions there; a stage composed or combined
     * with another call then completes the client's stages as their answers come in, oldest first, their
     * actions inside the wait, until it is done. Not a plain CompletableFuture's wait
     * ({@code CompletableFuture.allOf(...).join()}), which would wait for ever: wait for the client's
     * stages one after the other there. On the client's I/O thread
     * ({@link ClientOptions.Builder#handlerOnIoThread}, {@link ClientOptions.Builder#listenersOnIoThread})
     * such a wait, for a stage not yet complete, throws IllegalStateException at once: chain an action
     * to the stage there.
     */
    CompletionStage<Message> requestAsync(Address to, int command, ByteBuf payload, Duration timeout);

    /**
     * Sends a one-way message. The stage completes once the message is handed to the agent (over a
     * socket: written to the connection), or fails when it cannot be: PEER_OFFLINE when nobody has the
     * address (inside the container, where the agent knows it at once) or the client is not connected
     * to the agent, TOO_LARGE, OVERLOADED.
     *
     * <p>A NOTIFY has no answer, so a PEER_OFFLINE the agent finds after it took the message comes
     * after the stage completed: over a socket for every NOTIFY it could not deliver (nobody has the
     * address, or the destination's connection closed or was being closed before the agent could
     * write the NOTIFY to it), reported to {@link ClientOptions.Builder#onError}; inside the container
     * for one to a connection that closed so, logged by the agent as a warning naming the sender (the
     * next ones counted, told once a minute). Such
     * a PEER_OFFLINE means <em>possibly not delivered</em>: the agent learns only whether a whole batch
     * of frames was written, so a NOTIFY sent again may arrive twice. A completed stage is no receipt
     * either: a NOTIFY the agent wrote to the destination's socket counts as delivered, and one its
     * process dies before reading is lost without a word (docs/protocol.md, sections 8 and 10.1).
     *
     * <p>The stage completes as {@link #requestAsync}'s does, and a callback of the client may wait
     * for it as for that one.
     */
    CompletionStage<Void> notify(Address to, int command, ByteBuf payload);

    /**
     * Publishes to every subscriber of a matching pattern (the publisher included).
     *
     * @throws IllegalArgumentException if {@code topic} is not a valid topic ({@link io.msf.protocol.api.Topic})
     */
    void publish(String topic, int command, ByteBuf payload);

    /**
     * Subscribes {@code listener} to the publications matching {@code pattern}. It is called on an
     * agent thread, one message at a time per subscription, in the order they were published; the
     * message is released when it returns. Which of several subscriptions matching a publication is
     * given it first is not specified. The subscription is in force when this method returns: it waits for the agent's
     * acknowledgement, up to the connect timeout ({@link ClientOptions.Builder#connectTimeout}).
     *
     * @throws IllegalArgumentException if {@code pattern} is not a valid pattern
     * @throws AgentException if the agent refused it, the connection is gone, or TIMEOUT when no
     *     acknowledgement came within the connect timeout, or at once when the calling thread is
     *     interrupted (it stays interrupted); the subscription is not made then
     */
    Subscription subscribe(String pattern, Consumer<Message> listener);
}
