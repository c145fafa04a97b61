package io.msf.client.api;

import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A service's message handler: libmsf's {@code handle(message)}. It answers the REQUESTs and takes
 * the NOTIFYs addressed to the service.
 *
 * <p>Inside the container a bundle offers a handler as an OSGi service (a DS component) with the
 * service property {@link #NAME} and/or {@link #ID}; the agent delivers to it directly, without a
 * socket. Its lifecycle is the component's: activate is libmsf's init/start, deactivate its stop,
 * and its configuration (Config Admin) its get_param/set_param. Outside the container the handler
 * is given to {@link ClientOptions.Builder#handler}.
 *
 * <p>When several handlers in the container claim the same name or id, the agent routes new
 * messages to the one with the highest {@code service.ranking} (then the lowest {@code service.id}),
 * as OSGi ranks services; the others finish what they already have. This is how a new version of a
 * service takes over without losing a request.
 *
 * <p>Calls may come from several threads at once. A handler should not wait for another agent
 * request ({@link AgentClient#request}) on the thread it is called on: return a stage instead
 * ({@link AgentClient#requestAsync}). Inside the container that thread is the agent's, which the
 * handler must not block. Outside it the client runs the handler on its callback thread (or the
 * {@link ClientOptions.Builder#executor} given), where such a wait works but holds up the messages
 * waiting for the handler and the listeners until the reply comes; so does a wait there for the
 * stage of {@link AgentClient#requestAsync} or {@link AgentClient#notify} ({@code join()}, {@code get()}),
 * which completes the stage on the handler's thread once the answer is in (not that of a plain
 * CompletableFuture, {@code CompletableFuture.allOf(...)} say, which waits for ever: see
 * {@link AgentClient#requestAsync}). In a handler run on the
 * I/O thread ({@link ClientOptions.Builder#handlerOnIoThread}) either wait throws an
 * IllegalStateException at once, as the answer would be read by the thread it blocks.
 */
@ConsumerType
@FunctionalInterface
public interface MessageHandler {

    /** Service property: the name the handler answers to (topic rules, no wildcards), e.g. {@code dlna}. */
    String NAME = "msf.agent.name";

    /** Service property: the numeric id the handler answers to, 1 to 0x7FFFFFFF (libmsf's service id). */
    String ID = "msf.agent.id";

    /**
     * Handles one REQUEST or NOTIFY ({@link Message#type()}).
     *
     * <p>{@code message} is released by the caller once this method returns; {@code retain()} or
     * {@code copy()} it to use it later.
     *
     * @return for a REQUEST, a stage completed with the reply's payload, which the agent takes over
     *     (null or a null payload: an empty reply); for a NOTIFY, ignored (may be null). A thrown
     *     exception or a failed stage becomes the requester's ERROR: an {@link AgentException}'s
     *     code (say NO_HANDLER for an unknown command), otherwise REMOTE_ERROR with the failure's
     *     class and message. A code about a connection (BAD_FRAME, UNAUTHORIZED...: see
     *     {@link io.msf.protocol.api.ErrorCode#handlerMayAnswer}) becomes REMOTE_ERROR too, with the
     *     code in its text, in the container and outside alike.
     */
    CompletionStage<ByteBuf> handle(Message message) throws Exception;
}
