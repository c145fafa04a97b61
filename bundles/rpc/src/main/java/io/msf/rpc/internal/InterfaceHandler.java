package io.msf.rpc.internal;

import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.rpc.api.RpcHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;

/**
 * The offering side: decodes a request's arguments, calls the implementation and encodes what it
 * returned or threw as the reply.
 *
 * <p>What the implementation throws travels in the reply ({@link RpcCodec}); what goes wrong before
 * or after it (no such method, arguments that do not decode, a result that does not encode) is an
 * {@link AgentException}, which the agent turns into an ERROR whose text a person can read even when
 * the requester is not an RPC proxy (say {@code agent:send} in the shell).
 *
 * <p>Replies are heap buffers: the handler has no allocator of its own, and the agent, which takes
 * the reply over, releases it; should a reply be dropped on some path, the garbage collector still
 * reclaims it.
 */
public final class InterfaceHandler implements RpcHandler {

    private final RpcInterface rpc;
    private final Object implementation;
    /** The limit of a call whose request has no timeout; Rpc.handler checked that it fits a long. */
    private final long maxCallMillis;
    /** Where synchronous methods run; null: on the thread delivering the request. */
    private final Executor executor;
    /** The replies not yet complete of the calls this handler guards: what {@link #close} fails. */
    private final Set<CompletableFuture<ByteBuf>> inFlight = ConcurrentHashMap.newKeySet();
    /** The arguments of the calls waiting for {@link #executor}, bounded. */
    private final WaitingArguments waiting = new WaitingArguments();
    private volatile boolean closed;

    public InterfaceHandler(RpcInterface rpc, Object implementation, Duration maxCallTime, Executor executor) {
        this.rpc = rpc;
        this.implementation = implementation;
        this.maxCallMillis = maxCallTime.toMillis();
        this.executor = executor;
    }

    @Override
    public CompletionStage<ByteBuf> handle(Message message) {
        if (message.type() != MessageType.REQUEST) {
            return null;
        }
        if (closed) {
            throw closedFailure();
        }
        RpcMethod operation = rpc.method(message.command());
        if (operation == null) {
            throw new AgentException(ErrorCode.NO_HANDLER, rpc.type().getName() + " has no method with command "
                    + Integer.toUnsignedString(message.command()) + " (is the caller's version of it newer?)");
        }
        RpcCodec.Arguments decoded = decodeArguments(operation, message);
        Object[] args = decoded.values();
        if (!operation.async() && executor != null) {
            long bytes = WaitingArguments.estimate(message.payload().readableBytes(), decoded.tokens());
            return onExecutor(operation, args, bytes, message.timeoutMillis());
        }
        Object result;
        try {
            result = operation.method().invoke(implementation, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof InterruptedException && CallerThreads.isCaller()) {
                // it gave up a wait because this thread was interrupted, which throwing cleared: this is the
                // thread of an in-container caller waiting in a proxy, which must see it. Any other thread
                // delivering a request (an event loop serving a socket caller) is not the implementation's
                // to interrupt: left set, the flag would fail each later wait on that thread at once.
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedFuture(thrown(operation, e.getCause()));
        } catch (IllegalAccessException e) {
            throw cannotCall(operation, e);
        }
        if (!operation.async()) {
            return CompletableFuture.completedFuture(returned(operation, result));
        }
        if (result == null) {
            return CompletableFuture.completedFuture(thrown(operation, new NullPointerException(
                    operation + " returned null instead of a CompletionStage")));
        }
        return guarded(operation, (CompletionStage<?>) result, message.timeoutMillis());
    }

    /**
     * A synchronous method's call on the executor, guarded as a stage not yet complete. Its reply is
     * made before the call is handed over: a call still queued when its caller was answered (TIMEOUT,
     * or PEER_OFFLINE on close) is not made, or a queue backed up under load would go on running calls
     * nobody waits for, keeping the executor behind. The guard is set only once the executor has
     * taken the call: one that ran it on this thread (a direct executor, a pool's CallerRunsPolicy
     * when full) hands it back complete, which needs no guard, rather than a task scheduled and
     * cancelled on the one {@link CallTimer} of the JVM for every call. The encoding of the result is
     * wired to the call before it is handed over, though: a pool's thread may complete the call before
     * {@code execute} returns, and the result would then be encoded on the delivering thread, for a
     * socket caller an event loop that a large result keeps from every other channel it serves. Only
     * the call itself completes the reply before the guard is set, once made, so a queued call cannot
     * find it done too early. An executor refusing the call (its queue full, or shut down with its
     * bundle) is OVERLOADED or PEER_OFFLINE for the caller, never a call that does not happen without
     * a word; unguarded yet, it leaves nothing behind. So is a call whose arguments would take those of
     * the calls waiting past {@link WaitingArguments#MAX_BYTES}: the queue's length does not bound
     * their size. A waiting call answered lets its arguments go at once, not when a thread comes to it.
     *
     * @param bytes what {@code args} are estimated to hold
     */
    private CompletionStage<ByteBuf> onExecutor(RpcMethod operation, Object[] args, long bytes, int timeoutMillis) {
        WaitingArguments.Call call = waiting.admit(args, bytes);
        if (call == null) {
            throw new AgentException(ErrorCode.OVERLOADED, operation + " not called: the calls waiting for its"
                    + " executor hold " + mebibytes(waiting.bytes()) + " of arguments, and this one's "
                    + mebibytes(bytes) + " would take them past the most a handler keeps waiting ("
                    + mebibytes(WaitingArguments.MAX_BYTES) + ")");
        }
        CompletableFuture<Object> called = new CompletableFuture<>();
        CompletableFuture<ByteBuf> reply = new CompletableFuture<>();
        // A direct executor, or a pool's CallerRunsPolicy, runs the call on this thread: the delivering
        // one, an event loop for a socket caller, whose interrupt flag is not the implementation's.
        Thread delivering = Thread.currentThread();
        encodeInto(operation, called, reply); // on the thread completing the call: the pool's
        reply.whenComplete((payload, failure) -> call.drop()); // answered while it waits: its task holds nothing
        boolean handedOver = false;
        try {
            executor.execute(() -> {
                Object[] taken = call.take();
                if (taken == null || reply.isDone()) {
                    return; // its caller was answered while it waited in the queue: not made
                }
                try {
                    called.complete(operation.method().invoke(implementation, taken));
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof InterruptedException
                            && (Thread.currentThread() != delivering || CallerThreads.isCaller())) {
                        // the executor's own thread (its owner is stopping it), or an in-container
                        // caller's waiting in a proxy: either must see it
                        Thread.currentThread().interrupt();
                    }
                    called.completeExceptionally(e.getCause());
                } catch (IllegalAccessException e) {
                    called.completeExceptionally(cannotCall(operation, e));
                }
            });
            handedOver = true;
        } catch (RejectedExecutionException e) {
            boolean stopped = executor instanceof ExecutorService service && service.isShutdown();
            AgentException refused = new AgentException(stopped ? ErrorCode.PEER_OFFLINE : ErrorCode.OVERLOADED,
                    operation + " not called: its executor "
                            + (stopped ? "is shut down" : "refused it (" + e.getMessage() + ")"), e);
            throw refused;
        } finally {
            if (!handedOver) {
                // refused, or failed otherwise: an executor stopping may throw IllegalStateException, a
                // pool that cannot start a thread OutOfMemoryError. Counted still, its arguments would
                // answer every later call OVERLOADED once 32 MiB were refused so, though none waits.
                call.drop();
            }
        }
        return guard(operation, reply, timeoutMillis);
    }

    /**
     * Fails what is in flight with PEER_OFFLINE: their stages may never complete, and until their
     * timeouts their guards on the shared {@link CallTimer} would keep this handler, its
     * implementation and its bundle's class loader.
     */
    @Override
    public void close() {
        closed = true;
        for (CompletableFuture<ByteBuf> reply : inFlight) {
            reply.completeExceptionally(closedFailure());
        }
    }

    private AgentException closedFailure() {
        return new AgentException(ErrorCode.PEER_OFFLINE, "the RPC handler of " + rpc.type().getName()
                + " is closed (its service stopped)");
    }

    private static AgentException cannotCall(RpcMethod operation, IllegalAccessException e) {
        // cannot happen: RpcInterface refuses methods of interfaces that are not public; said plainly
        // should a JVM disagree
        return new AgentException(ErrorCode.REMOTE_ERROR, "cannot call " + operation + ": " + e.getMessage(), e);
    }

    /** The arguments decoded; REMOTE_ERROR if they do not decode, or are past {@link ArgumentBounds}. */
    private RpcCodec.Arguments decodeArguments(RpcMethod operation, Message request) {
        RpcCodec codec = rpc.codec(); // its own failure is a REMOTE_ERROR that says so
        // a duplicate: reading must not move the indices of a buffer the caller still owns
        try (InputStream in = new ByteBufInputStream(request.payload().duplicate())) {
            return codec.readArguments(operation, in);
        } catch (IOException e) {
            throw undecodable(operation, e);
        }
    }

    private static AgentException undecodable(RpcMethod operation, IOException e) {
        return new AgentException(ErrorCode.REMOTE_ERROR, "cannot decode the arguments of " + operation
                + " (command " + Integer.toUnsignedString(operation.command()) + "): " + RpcCodec.describe(e), e);
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }

    /**
     * The reply once {@code stage} completes, or TIMEOUT after the request's timeout (or
     * {@code maxCallTime}): the requester has stopped waiting by then, and a stage that never
     * completes must not hold the request, and what the agent counts in flight, forever.
     */
    private CompletionStage<ByteBuf> guarded(RpcMethod operation, CompletionStage<?> stage, int timeoutMillis) {
        CompletableFuture<ByteBuf> reply = new CompletableFuture<>();
        encodeInto(operation, stage, reply);
        return guard(operation, reply, timeoutMillis);
    }

    /**
     * Completes {@code reply} with what {@code stage} returned or threw, encoded on the thread completing
     * it. Through {@code handle}, not {@code whenComplete}: the stage whenComplete returns fails with a
     * CompletionException wrapping what was thrown, whose constructor reads its message, and a
     * {@code getMessage()} that throws would then escape to whoever completed the stage (this thread,
     * or a pool's), the reply made but the call failing too.
     */
    private void encodeInto(RpcMethod operation, CompletionStage<?> stage, CompletableFuture<ByteBuf> reply) {
        stage.handle((value, failure) -> {
            ByteBuf payload;
            try {
                payload = failure == null ? returned(operation, value) : thrown(operation, unwrap(failure));
            } catch (RuntimeException | Error e) {
                // an Error too (a class Jackson needs is missing): thrown here, it would be lost in the
                // stage, and the requester would get TIMEOUT once the guard ran out instead of the reason
                reply.completeExceptionally(e);
                return null;
            }
            if (!reply.complete(payload)) {
                payload.release(); // the guard answered first
            }
            return null;
        });
    }

    /** The answer {@code reply} becomes, with TIMEOUT or PEER_OFFLINE (on close) should it not be done yet. */
    private CompletionStage<ByteBuf> guard(RpcMethod operation, CompletableFuture<ByteBuf> reply, int timeoutMillis) {
        long limitMillis = timeoutMillis > 0 ? timeoutMillis : maxCallMillis;
        CompletableFuture<ByteBuf> answer = new CompletableFuture<>();
        if (!reply.isDone()) { // a stage complete already (most are) needs no guard, nor the timer's thread
            // not reply.orTimeout: its timer thread would keep a bundle's class loader (CallTimer)
            ScheduledFuture<?> guard = CallTimer.schedule(() -> reply.completeExceptionally(new TimeoutException()),
                    limitMillis);
            inFlight.add(reply);
            reply.whenComplete((payload, failure) -> {
                guard.cancel(false);
                inFlight.remove(reply);
            });
            if (closed) { // closed while this call started: close() may not have seen it
                reply.completeExceptionally(closedFailure());
            }
        }
        reply.whenComplete((payload, failure) -> {
            if (failure == null) {
                answer.complete(payload);
            } else if (failure instanceof TimeoutException) {
                answer.completeExceptionally(new AgentException(ErrorCode.TIMEOUT,
                        operation + " did not complete within " + limitMillis + " ms"));
            } else {
                answer.completeExceptionally(failure);
            }
        });
        return answer;
    }

    private ByteBuf returned(RpcMethod operation, Object value) {
        ByteBuf payload = Unpooled.buffer();
        try (OutputStream out = new ByteBufOutputStream(payload)) {
            rpc.codec().writeReturned(operation, value, out);
            return payload;
        } catch (IOException | RuntimeException | Error e) {
            // an Error too (a class Jackson needs is missing): passed on as is, the requester would read
            // only its class and message, not which method's result it was
            payload.release();
            throw new AgentException(ErrorCode.REMOTE_ERROR, "cannot encode the result of " + operation + ": "
                    + RpcCodec.describe(e), e);
        }
    }

    private ByteBuf thrown(RpcMethod operation, Throwable thrown) {
        ByteBuf payload = Unpooled.buffer();
        try (OutputStream out = new ByteBufOutputStream(payload)) {
            rpc.codec().writeThrown(thrown, out);
            return payload;
        } catch (IOException | RuntimeException | Error e) {
            // its class, not the Throwable itself: its toString() reads its message, which may be what failed
            payload.release();
            throw new AgentException(ErrorCode.REMOTE_ERROR, "cannot encode the " + thrown.getClass().getName()
                    + " " + operation + " threw: " + RpcCodec.describe(e), e);
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
