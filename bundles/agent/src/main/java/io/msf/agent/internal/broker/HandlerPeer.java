package io.msf.agent.internal.broker;

import io.msf.agent.api.PeerKind;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.timer.api.Timeout;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@link MessageHandler} service registration. Messages reach it by a method call on the
 * thread that routes them: a connection's event loop, or the thread of an in-container caller.
 * No thread hop, no copy: the handler contract forbids blocking that thread, and a handler with
 * slow work returns an incomplete stage and finishes elsewhere.
 *
 * <p>{@link #inFlight()} counts the requests it has been given and not yet answered (and the
 * notifications it is handling), so that a replaced version can be drained before it goes. A
 * message is counted before it is given ({@link #admit}), and only while the directory still routes
 * its address here: a hot swap's drain then never believes "0 in flight" while a message it cannot
 * see is on its way.
 */
public final class HandlerPeer extends Peer {

    private static final CompletableFuture<ByteBuf> EMPTY_REPLY = CompletableFuture.completedFuture(null);

    final Broker broker;
    private final MessageHandler handler;
    private final boolean claimsId;
    private final long serviceId;
    private final long bundleId;
    private volatile int ranking;
    /** Whether the directories route this handler's id, and its name, here: set by {@link Registry}. */
    private volatile Routes routes = Routes.NONE;
    /** Failed NOTIFYs, which nobody answers; package-private for tests, which end its interval themselves. */
    final RepeatedWarnings notifyFailures;

    HandlerPeer(Broker broker, int id, HandlerProperties properties, String origin, MessageHandler handler) {
        super(id, properties.name(), PeerKind.HANDLER, origin, new SharedOutstandingRequests(broker));
        this.broker = broker;
        this.handler = handler;
        this.claimsId = properties.id() != 0;
        this.serviceId = properties.serviceId();
        this.bundleId = properties.bundleId();
        this.ranking = properties.ranking();
        this.notifyFailures = new RepeatedWarnings(broker, "agent handler " + label() + " of " + origin);
    }

    /** Requests given to the handler and not answered yet, and notifications it is still handling. */
    public int inFlight() {
        return stats.inFlight.get();
    }

    /** The directories now route these addresses here; under the registry's lock. */
    void routed(Routes now) {
        routes = now;
    }

    /** As {@link #routed}, but only turns marks on: for the directories about to be published. */
    void routedAlso(Routes next) {
        routes = routes.or(next);
    }

    /**
     * Counts a message to {@code name} (empty: to this handler's id) in flight here if its address
     * still leads here for its sender (a peer outside the container, a connection or the uplink, when
     * {@code fromOutside}); false if it no longer does (a hot swap released another version since the
     * caller resolved it, or the bundle was held): the caller then resolves the address again.
     *
     * <p>With {@link Registry#release} this is Dekker's handshake: the release clears the flag and
     * then the drain reads the count; the count's increment is a full fence before the flag is read.
     * So either the drain sees this request counted, or this request sees the flag cleared. A
     * sleep could only make that likely.
     */
    boolean admit(String name, boolean fromOutside) {
        stats.inFlight.incrementAndGet();
        if (routes.leadHere(name, fromOutside)) {
            return true;
        }
        stats.inFlight.decrementAndGet();
        return false;
    }

    /** Undoes {@link #admit} for a message that will not be given to the handler after all. */
    void withdraw() {
        stats.inFlight.decrementAndGet();
    }

    /** True if this registration answers to the id and name {@code properties} name (its ranking aside). */
    public boolean answersTo(HandlerProperties properties) {
        return name.equals(properties.name()) && (claimsId ? properties.id() == id : properties.id() == 0);
    }

    int ranking() {
        return ranking;
    }

    void ranking(int newRanking) {
        ranking = newRanking;
    }

    long serviceId() {
        return serviceId;
    }

    /** The bundle that registered the handler, -1 if unknown. */
    long bundleId() {
        return bundleId;
    }

    /** True if the id came from the service's properties rather than the agent. */
    boolean claimsId() {
        return claimsId;
    }

    /** A request the broker tracks (from a connection): the answer goes back through the broker. */
    @Override
    void deliverRequest(Message request, PendingRequest pending) {
        int command = request.command();
        long sequence = request.sequence();
        int requester = pending.requester.id;
        CompletableFuture<ByteBuf> result = invoke(request);
        if (result.isDone()) {
            answer(pending, result, requester, command, sequence);
        } else {
            result.whenComplete((payload, failure) -> answer(pending, result, requester, command, sequence));
        }
    }

    private void answer(PendingRequest pending, CompletableFuture<ByteBuf> result, int requester, int command,
            long sequence) {
        ByteBuf payload;
        try {
            payload = result.join();
        } catch (RuntimeException failure) {
            failed();
            broker.answer(pending, Failures.frame(Failures.code(failure), requester, command, sequence,
                    Failures.detail(failure)));
            return;
        }
        receivedReply(payload);
        broker.answer(pending, Frames.reply(id, requester, command, sequence, payload));
    }

    /**
     * A NOTIFY ({@linkplain #admit admitted}): handled, its outcome only logged if it failed (at most
     * once a minute per handler, {@link RepeatedWarnings}). Nothing else is meant for a handler.
     */
    @Override
    void deliver(Message message) {
        if (message.type() != MessageType.NOTIFY) {
            withdraw(); // admitted like every message handed to a handler, but not for it
            message.release();
            return;
        }
        int command = message.command();
        String subject = message.subject();
        CompletableFuture<ByteBuf> result = invoke(message);
        result.whenComplete((payload, failure) -> {
            if (payload != null) {
                payload.release();
            }
            if (failure != null) {
                stats.errors.increment();
                notifyFailures.warn("failed on a NOTIFY to " + (subject.isEmpty() ? "its id" : "'" + subject + "'")
                        + " with command " + Integer.toUnsignedString(command), failure);
            }
        });
    }

    /** Counted by {@link #invoke} instead: from the call until the handler's stage completes. */
    @Override
    void track(PendingRequest pending) {
    }

    @Override
    void untrack(PendingRequest pending) {
    }

    /** A handler sends nothing through the broker, so nothing it sent can fail. */
    @Override
    void error(ErrorCode code, int command, long sequence, String detail) {
        stats.errors.increment();
        broker.log.debug("agent handler {}: {} {}", label(), code, detail);
    }

    /**
     * Calls the handler with {@code message} (a REQUEST or NOTIFY, {@linkplain #admit admitted}), which
     * it releases when the call returns; it stays counted in flight until the handler's stage completes.
     */
    CompletableFuture<ByteBuf> invoke(Message message) {
        stats.delivered(message.payload().readableBytes());
        CompletableFuture<ByteBuf> result;
        try {
            CompletionStage<ByteBuf> stage = handler.handle(message);
            result = stage == null ? EMPTY_REPLY : stage.toCompletableFuture();
        } catch (Throwable e) {
            // Errors too (an AssertionError, say): a broken handler must neither close the requester's
            // connection nor leave its message counted in flight, which would stall a hot swap's drain.
            result = CompletableFuture.failedFuture(e);
        } finally {
            message.release();
        }
        if (result.isDone()) {
            stats.inFlight.decrementAndGet();
        } else {
            result.whenComplete((payload, failure) -> stats.inFlight.decrementAndGet());
        }
        return result;
    }

    /**
     * A request from a bundle's client: the handler is called on the caller's thread, and when it
     * answers at once (a completed stage) so does this method, without a timer or a thread hop.
     *
     * @param request taken over (released once the handler returns); {@linkplain #admit admitted}
     */
    Message call(Peer caller, Message request, int timeoutMillis) {
        int command = request.command();
        long sequence = request.sequence();
        long start = System.nanoTime();
        CompletableFuture<ByteBuf> result = invoke(request);
        ByteBuf payload;
        try {
            payload = result.isDone() ? result.join() : result.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            broker.totals.timeouts.increment();
            result.whenComplete(this::lateAnswer);
            throw Answers.agentThrown(caller, new AgentException(ErrorCode.TIMEOUT, "no reply from " + label()
                    + " within " + timeoutMillis + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.whenComplete(this::lateAnswer);
            throw Answers.agentThrown(caller, new AgentException(ErrorCode.TIMEOUT,
                    "interrupted while waiting for a reply from " + label(), e));
        } catch (CompletionException | ExecutionException | CancellationException e) {
            failed();
            answered(start);
            throw Answers.thrown(caller, failure(e));
        }
        Message reply = replied(command, caller.id, sequence, payload, start);
        caller.stats.delivered(reply.payload().readableBytes());
        return reply;
    }

    /**
     * {@link #call} without waiting: the stage completes when the handler's does, or fails on timeout.
     *
     * @param request taken over (released once the handler returns); {@linkplain #admit admitted}
     */
    CompletableFuture<Message> callAsync(Peer caller, Message request, int timeoutMillis) {
        int command = request.command();
        long sequence = request.sequence();
        long start = System.nanoTime();
        CompletableFuture<ByteBuf> result = invoke(request);
        CompletableFuture<Message> answer = new CompletableFuture<>();
        if (result.isDone()) {
            settle(answer, result, caller, command, sequence, start);
            return answer;
        }
        Timeout timer;
        try {
            timer = broker.schedule(() -> Answers.agentError(caller, answer, new AgentException(ErrorCode.TIMEOUT,
                    "no reply from " + label() + " within " + timeoutMillis + " ms"), broker.totals.timeouts),
                    timeoutMillis);
        } catch (IllegalStateException e) {
            Answers.agentError(caller, answer, new AgentException(ErrorCode.OVERLOADED,
                    "the agent cannot time the request: " + e.getMessage()));
            result.whenComplete(this::lateAnswer);
            return answer;
        }
        // However the answer ends (the handler's, its timeout, or the caller closing: LocalClient), the timer goes.
        answer.whenComplete((reply, failure) -> timer.cancel());
        result.whenComplete((payload, failure) -> settle(answer, result, caller, command, sequence, start));
        return answer;
    }

    private void settle(CompletableFuture<Message> answer, CompletableFuture<ByteBuf> result, Peer caller,
            int command, long sequence, long start) {
        ByteBuf payload;
        try {
            payload = result.join();
        } catch (RuntimeException e) {
            if (answer.isDone()) {
                lateAnswer(null, e); // as a late reply: not timed, not routed
                return;
            }
            failed();
            answered(start);
            if (!Answers.error(caller, answer, failure(e))) {
                broker.totals.answerNotGiven();
            }
            return;
        }
        if (answer.isDone()) {
            lateAnswer(payload, null);
            return;
        }
        Message reply = replied(command, caller.id, sequence, payload, start);
        if (!Answers.reply(caller, answer, reply)) {
            broker.totals.answerNotGiven();
            reply.release();
        }
    }

    /** The handler's reply, received from it, for its caller. */
    private Message replied(int command, int callerId, long sequence, ByteBuf payload, long start) {
        answered(start);
        receivedReply(payload);
        return Frames.reply(id, callerId, command, sequence, payload);
    }

    /**
     * The handler answered a direct call, with a reply or a failure: timed and routed, as a
     * connection's request is once its answer settles it ({@link Broker#answer}), whatever the answer.
     */
    private void answered(long start) {
        stats.latency.record(System.nanoTime() - start);
        broker.totals.routed.increment();
    }

    /**
     * The handler failed a request: its answer, in as a connection's ERROR frame is, one message without
     * bytes (the text is the agent's), and one of its errors.
     */
    private void failed() {
        stats.errors.increment();
        stats.received(0);
    }

    /** The handler's reply, one message in with its payload's bytes (none for a null payload, an empty reply). */
    private void receivedReply(ByteBuf payload) {
        stats.received(payload == null ? 0 : payload.readableBytes());
    }

    /** The handler answered a direct call after its caller stopped waiting: received all the same, and dropped. */
    private void lateAnswer(ByteBuf payload, Throwable failure) {
        broker.totals.lateReplies.increment();
        if (failure != null) {
            failed();
        } else {
            receivedReply(payload);
            if (payload != null) {
                payload.release();
            }
        }
    }

    /** The exception an in-container caller gets for the handler's failure. */
    AgentException failure(Throwable failure) {
        return new AgentException(Failures.code(failure), label() + ": " + Failures.detail(failure),
                Failures.unwrap(failure));
    }
}
