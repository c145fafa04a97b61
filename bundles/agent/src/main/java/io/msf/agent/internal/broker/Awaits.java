package io.msf.agent.internal.broker;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for a reply on behalf of a synchronous in-container caller. */
final class Awaits {

    /**
     * The broker's timer fails a request when its timeout runs out; the caller waits this much
     * longer before it gives up on its own, so that the broker's TIMEOUT is what it normally sees.
     */
    static final long GRACE_MILLIS = 1000;

    private Awaits() {
    }

    /** The longest timeout a request's 32-bit field holds; the socket client refuses a longer one too. */
    private static final Duration LONGEST_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    /** A request timeout in whole milliseconds: 0 for the agent's default, at least 1 otherwise. */
    static int millis(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.compareTo(LONGEST_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout " + timeout + " is outside 0.." + LONGEST_TIMEOUT);
        }
        return timeout.isZero() ? 0 : (int) Math.max(1, timeout.toMillis());
    }

    /** Waits for {@code reply}; its failure is rethrown as an AgentException from this thread. */
    static Message reply(CompletableFuture<Message> reply, int timeoutMillis, Address to) {
        try {
            return reply.get(timeoutMillis + GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AgentException) {
                // Thrown anew so that the stack trace shows the caller, not the thread that failed it.
                throw new AgentException(((AgentException) cause).code(), Failures.detail(cause), cause);
            }
            throw new AgentException(ErrorCode.REMOTE_ERROR, Failures.detail(cause), cause);
        } catch (TimeoutException e) {
            // the broker's timer, late, still answers the request with its TIMEOUT, counted as the one
            // thrown here; a reply before it is released
            reply.thenAccept(Message::release);
            throw new AgentException(ErrorCode.TIMEOUT, "no reply from " + to + " within " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(reply);
            throw new AgentException(ErrorCode.TIMEOUT, "interrupted while waiting for a reply from " + to, e);
        }
    }

    /**
     * The caller gave up (interrupted): the request is given up as an async caller's cancel gives it
     * up, so that an answer that still comes is a late reply, not one routed and counted out to this
     * caller; one that came meanwhile is released.
     */
    private static void abandon(CompletableFuture<Message> reply) {
        if (!reply.cancel(false)) {
            reply.thenAccept(Message::release);
        }
    }
}
