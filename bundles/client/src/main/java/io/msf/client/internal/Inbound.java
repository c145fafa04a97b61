package io.msf.client.internal;

import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.text.ControlCharacters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * any other failure (its class and message), OVERLOADED when too many messages are waiting already
 * or the executor refuses to run the handler.
 *
 * <p>Once the client is closed what still waits is released unseen: the application tears down
 * what its handler and listeners use after {@code close()} has returned.
 */
final class Inbound {

    private final MessageHandler handler;
    private final WatchedExecutor executor;
    private final InboundBudget budget;
    private final ClientEvents events;
    private final BooleanSupplier clientClosed;
    /** Set from a refusal of the executor, reported then, until it runs a task again. */
    private final AtomicBoolean refusing = new AtomicBoolean();

    /**
     * @param handler null when the client takes no requests
     * @param clientClosed true from the moment the client is being closed
     */
    Inbound(MessageHandler handler, WatchedExecutor executor, InboundBudget budget, ClientEvents events,
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
        if (!admit(request)) {
            session.send(Failures.error(session.alloc(), ErrorCode.OVERLOADED, request.source(), request.command(),
                    request.sequence(), events.client() + " has " + budget.limit() + " messages waiting already"));
            return;
        }
        int source = request.source();
        int command = request.command();
        long sequence = request.sequence();
        handOverOnExecutor(request, message -> {
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
        }, refusal -> session.send(Failures.error(session.alloc(), ErrorCode.OVERLOADED, source, command, sequence,
                events.client() + "'s executor refused to run its handler (" + refusal.getMessage() + ")")));
    }

    void notification(Message notification) {
        if (handler == null) {
            notification.release();
            return;
        }
        if (!admit(notification)) {
            return;
        }
        String what = describe(notification);
        handOverOnExecutor(notification, message -> {
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
        }, refusal -> { });
    }

    /**
     * Runs {@code task} with an admitted {@code message} on the handler's executor and releases the
     * message when it returns; or, when the executor does not run it (it refused, or dropped it
     * silently), releases it ({@link #refused}) and calls {@code whenRefused}, on this thread or the
     * event loop.
     */
    private void handOverOnExecutor(Message message, Consumer<Message> task,
            Consumer<RejectedExecutionException> whenRefused) {
        executor.execute(() -> {
            executorRuns();
            handOver(message, task);
        }, refusal -> {
            refused(message, refusal);
            whenRefused.accept(refusal);
        });
    }

    /**
     * Takes a place among the messages waiting for the application; when too many wait already,
     * releases {@code message} instead, reports the overload (once) and returns false. A message
     * admitted must reach {@link #handOver} or {@link #refused}.
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

    /**
     * The executor did not run application code on an admitted message (it was shut down, is a
     * bounded pool that is full, or dropped the task silently): treated like a full queue, never run on this thread, which is
     * the I/O thread that must go on answering PINGs. Releases the message and its place and
     * reports the refusal once, and again only after the executor has run a handler or listener.
     */
    void refused(Message message, RejectedExecutionException refusal) {
        if (refusing.compareAndSet(false, true)) {
            events.error(new AgentException(ErrorCode.OVERLOADED, events.client() + ": the executor refused to run "
                    + "the handler or a listener (" + refusal + "); dropping " + describe(message)
                    + " and what it refuses after it until it runs one again", refusal));
        }
        message.release();
        budget.release();
    }

    /** Called first by every task the executor runs: it takes them again, so its next refusal is reported. */
    void executorRuns() {
        // Read first: a write on every task would bounce the flag's cache line between threads.
        if (refusing.get()) {
            refusing.set(false);
        }
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

    /**
     * Built only when something goes wrong: publications are many and small. The topic is escaped: it
     * goes into log lines and onError, and this client leaves checking it to the agent, which may not.
     */
    private static String describe(Message message) {
        if (message.type() == MessageType.PUBLISH) {
            return "publication on '" + ControlCharacters.escapedOnOneLine(message.subject()) + "'";
        }
        return message.type() + " command " + Integer.toUnsignedString(message.command()) + " from #" + Integer.toUnsignedString(message.source());
    }
}
