package io.msf.client.internal;

import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The calls of one connection that wait for an answer (REQUEST, SUBSCRIBE, UNSUBSCRIBE), by
 * sequence. Each ends exactly once: with its REPLY, with the agent's ERROR, when its guard runs
 * out, or when the connection ends. A REPLY for a call that already ended is released and dropped.
 *
 * <p>A call its guard ended stays known, as ended, for as long again: the guard runs from the moment
 * the client queued the request, the agent's timeout from the moment it read it, so after a backlog on
 * the way the agent's answer (its ERROR TIMEOUT) comes after the guard. It is that call's, and dropped
 * as a late REPLY is, not an error of no call for onError.
 */
final class PendingCalls {

    /** Lets the event loop's guard, which says more, end a call before the waiting thread gives up. */
    private static final long AWAIT_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Map<Long, Call> calls = new ConcurrentHashMap<>();
    private final EventExecutor loop;

    PendingCalls(EventExecutor loop) {
        this.loop = loop;
    }

    /**
     * Registers a call before its frame is written, so that no answer can come before it is known.
     *
     * @param what the call for people, e.g. {@code request to dlna, command 3}
     * @param guardNanos how long to wait for an answer before failing with TIMEOUT
     */
    CompletableFuture<Message> open(long sequence, String what, long guardNanos) {
        Call call = new Call(what);
        calls.put(sequence, call);
        try {
            call.guard = loop.schedule(() -> expire(sequence, call, new AgentException(ErrorCode.TIMEOUT,
                    what + ": no answer within " + TimeUnit.NANOSECONDS.toMillis(guardNanos) + " ms"), guardNanos),
                    guardNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            fail(sequence, new AgentException(ErrorCode.PEER_OFFLINE, what + ": the client is closed", e));
        }
        return call.result;
    }

    /** The guard ran out: ends the call, and forgets it once a late answer has had as long again to come. */
    private void expire(long sequence, Call call, AgentException failure, long guardNanos) {
        if (!call.result.completeExceptionally(failure)) {
            return;
        }
        try {
            call.guard = loop.schedule(() -> calls.remove(sequence, call), guardNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            calls.remove(sequence, call); // the client is closing: no answer comes any more
        }
    }

    /** Ends the call with its REPLY, which is taken over (released if nobody waits for it any more). */
    void complete(long sequence, Message reply) {
        Call call = remove(sequence);
        if (call == null || !call.result.complete(reply)) {
            reply.release();
        }
    }

    /**
     * Ends the call with the agent's ERROR; false if no call has that sequence (the error is for no
     * call). True for a call that ended already: the error is dropped.
     */
    boolean fail(long sequence, ErrorCode code, String detail) {
        Call call = remove(sequence);
        if (call == null) {
            return false;
        }
        call.result.completeExceptionally(new AgentException(code, call.what + ": " + detail));
        return true;
    }

    void fail(long sequence, AgentException failure) {
        Call call = remove(sequence);
        if (call != null) {
            call.result.completeExceptionally(failure);
        }
    }

    /** Ends every call: the connection is gone. */
    void failAll(String reason) {
        for (Long sequence : calls.keySet()) {
            Call call = remove(sequence);
            if (call != null) {
                call.result.completeExceptionally(new AgentException(ErrorCode.PEER_OFFLINE, call.what + ": " + reason));
            }
        }
    }

    /**
     * Waits for a call's answer on the calling thread, at most {@code guardNanos} plus a margin: the
     * guard on the event loop ends the call first, unless the loop itself is gone.
     *
     * @throws AgentException how the call failed, thrown anew on this thread
     */
    static Message await(CompletableFuture<Message> answer, long guardNanos, String what) {
        try {
            if (Thread.interrupted()) {
                // get() of an answer already there returns it without a look at the interrupt: an
                // interrupted caller fails whether the answer was quicker than its thread or not
                throw new InterruptedException();
            }
            return answer.get(guardNanos + AWAIT_MARGIN_NANOS, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw Failures.rethrown(e);
        } catch (TimeoutException e) {
            abandon(answer);
            throw new AgentException(ErrorCode.TIMEOUT, what + ": no answer within "
                    + TimeUnit.NANOSECONDS.toMillis(guardNanos) + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(answer);
            throw new AgentException(ErrorCode.TIMEOUT, what + ": interrupted while waiting for the answer", e);
        }
    }

    /** Nobody waits any more: an answer that still comes is released. */
    private static void abandon(CompletableFuture<Message> answer) {
        answer.thenAccept(Message::release);
    }

    private Call remove(long sequence) {
        Call call = calls.remove(sequence);
        if (call != null && call.guard != null) {
            call.guard.cancel(false);
        }
        return call;
    }

    private static final class Call {
        final String what;
        final CompletableFuture<Message> result = new CompletableFuture<>();
        volatile ScheduledFuture<?> guard;

        Call(String what) {
            this.what = what;
        }
    }
}
