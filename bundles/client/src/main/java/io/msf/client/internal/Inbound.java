package io.msf.client.internal;

import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Hands received messages to the application off the event loop: REQUESTs and NOTIFYs to the
 * handler, publications to the subscriptions' listeners. The event loop keeps reading, pinging
 * and answering PINGs however slow the application is; what waits for the application is bounded
 * by the {@link InboundBudget}.
 *
 * <p>A REQUEST's answer is the REPLY with the handler's payload, or an ERROR: NO_HANDLER when
 * the client has no handler, the code of an {@link AgentException} the handler threw or failed
 * its stage with if a handler may answer with it ({@link Failures#handlerError}), REMOTE_ERROR for
 * any other failure (its class and message), OVERLOADED when too many messages are waiting already.
 *
 * <p>Once the client is closed what still waits is released unseen: the application tears down
 * what its handler and listeners use after {@code close()} has returned.
 */
final class Inbound {

    private final MessageHandler handler;
    private final Executor executor;
    private final InboundBudget budget;
    private final ClientEvents events;
    private final BooleanSupplier clientClosed;

    /**
     * @param handler null when the client takes no requests
     * @param clientClosed true from the moment the client is being closed
     */
    Inbound(MessageHandler handler, Executor executor, InboundBudget budget, ClientEvents events,
            BooleanSupplier clientClosed) {
        this.handler = handler;
        this.executor = executor;
        this.budget = budget;
        this.events = events;
        this.clientClosed = clientClosed;
    }

    void request(Session session, Message request) {
        if (handler == null) {
            request.release();
            session.send(Failures.error(session.alloc(), ErrorCode.NO_HANDLER, request.source(), request.command(),
                    request.sequence(), events.client() + " has no handler"));
            return;
        }
        boolean queued = submit(request, message -> {
            CompletionStage<ByteBuf> answer;
            try {
                answer = handler.handle(message);
            } catch (Exception | Error e) {
                answer = CompletableFuture.failedStage(e);
            }
            (answer == null ? CompletableFuture.<ByteBuf>completedStage(null) : answer)
                    .whenComplete((payload, failure) -> {
                        if (failure == null) {
                            session.reply(Message.reply(message, payload == null ? Unpooled.EMPTY_BUFFER : payload));
                        } else {
                            session.send(Failures.handlerError(session.alloc(), message, failure));
                        }
                    });
        });
        if (!queued) {
            session.send(Failures.error(session.alloc(), ErrorCode.OVERLOADED, request.source(), request.command(),
                    request.sequence(), events.client() + " has " + budget.limit() + " messages waiting already"));
        }
    }

    void notification(Message notification) {
        if (handler == null) {
            notification.release();
            return;
        }
        String what = describe(notification);
        submit(notification, message -> {
            try {
                CompletionStage<ByteBuf> done = handler.handle(message);
                if (done != null) {
                    done.whenComplete((ignored, failure) -> {
                        if (failure != null) {
                            handlerFailed(what, failure);
                        }
                    });
                }
            } catch (Exception | Error e) {
                handlerFailed(what, e);
            }
        });
    }

    /**
     * Runs {@code task} with {@code message} on the handler's executor and releases the message
     * when it returns; or, when too many messages wait already, releases it at once.
     *
     * @return false if the message was dropped
     */
    private boolean submit(Message message, Consumer<Message> task) {
        if (!admit(message)) {
            return false;
        }
        SerialExecutor.runOn(executor, () -> handOver(message, task));
        return true;
    }

    /**
     * Takes a place among the messages waiting for the application; when too many wait already,
     * releases {@code message} instead, reports the overload (once) and returns false. A message
     * admitted must reach {@link #handOver}.
     */
    boolean admit(Message message) {
        if (budget.tryAcquire()) {
            return true;
        }
        if (budget.firstRefusal()) {
            events.error(new AgentException(ErrorCode.OVERLOADED, events.client() + ": " + budget.limit()
                    + " received messages wait for the handler and listeners; dropping " + describe(message)
                    + " and what follows until half of them are handled"));
        }
        message.release();
        return false;
    }

    /** Runs application code on an admitted message, unless the client is closed; then releases it and its place. */
    void handOver(Message message, Consumer<Message> task) {
        try {
            if (!clientClosed.getAsBoolean()) {
                task.accept(message);
            }
        } catch (RuntimeException | Error e) {
            ClientEvents.LOG.log(Level.WARNING, events.client() + ": the application failed on " + describe(message), e);
        } finally {
            message.release();
            budget.release();
        }
    }

    private void handlerFailed(String what, Throwable failure) {
        ClientEvents.LOG.log(Level.WARNING, events.client() + ": the handler failed on " + what,
                Failures.unwrap(failure));
    }

    /** Built only when something goes wrong: publications are many and small. */
    private static String describe(Message message) {
        if (message.type() == MessageType.PUBLISH) {
            return "publication on '" + message.subject() + "'";
        }
        return message.type() + " command " + message.command() + " from #" + Integer.toUnsignedString(message.source());
    }
}
