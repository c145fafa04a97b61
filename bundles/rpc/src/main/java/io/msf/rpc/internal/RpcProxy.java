package io.msf.rpc.internal;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.rpc.api.RemoteInvocationException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The calling side: each call of a remote operation becomes one request through the
 * {@link AgentClient}, synchronous or asynchronous as the method's return type says.
 */
public final class RpcProxy implements InvocationHandler {

    private final AgentClient client;
    private final Address to;
    private final RpcInterface rpc;
    private final Duration timeout;

    public RpcProxy(AgentClient client, Address to, RpcInterface rpc, Duration timeout) {
        this.client = client;
        this.to = to;
        this.rpc = rpc;
        this.timeout = timeout;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        RpcMethod operation = rpc.method(method);
        if (operation != null) {
            return operation.async() ? callAsync(operation, args) : callSync(operation, args);
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        return objectMethod(proxy, method, args);
    }

    private Object callSync(RpcMethod operation, Object[] args) {
        ByteBuf payload = encode(operation, args);
        Message reply;
        int[] caller = CallerThreads.enter();
        try {
            reply = client.request(to, operation.command(), payload, timeout);
        } catch (AgentException e) {
            throw withCall(operation, e);
        } finally {
            CallerThreads.exit(caller);
        }
        try {
            return decode(operation, reply);
        } finally {
            reply.release();
        }
    }

    private CompletableFuture<Object> callAsync(RpcMethod operation, Object[] args) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        CompletionStage<Message> replied;
        try {
            ByteBuf payload = encode(operation, args);
            int[] caller = CallerThreads.enter();
            try {
                replied = client.requestAsync(to, operation.command(), payload, timeout);
            } finally {
                CallerThreads.exit(caller);
            }
        } catch (RuntimeException | Error e) {
            // an Error too (a class Jackson needs to write an argument is missing): the caller of an
            // asynchronous method looks for every failure in its future, never around the call
            result.completeExceptionally(failure(operation, e));
            return result;
        }
        replied.whenComplete((reply, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure(operation, failure));
                return;
            }
            try {
                result.complete(decode(operation, reply));
            } catch (RuntimeException | Error e) {
                // an Error too (a class Jackson needs is missing): thrown here, it would be lost in the
                // client's stage, and the caller's future would never complete
                result.completeExceptionally(e);
            } finally {
                reply.release();
            }
        });
        return result;
    }

    /** The arguments into a buffer of the client's allocator (charged to the calling bundle). */
    private ByteBuf encode(RpcMethod operation, Object[] args) {
        RpcCodec codec = rpc.codec(); // its own failure says so, not "cannot encode the arguments"
        ByteBuf payload = client.alloc().buffer();
        try (OutputStream out = new ByteBufOutputStream(payload)) {
            codec.writeArguments(operation, args, out);
            return payload;
        } catch (Error e) {
            payload.release();
            throw e;
        } catch (IOException | RuntimeException e) {
            payload.release();
            throw new IllegalArgumentException("cannot encode the arguments of " + call(operation) + ": "
                    + RpcCodec.describe(e), e);
        }
    }

    private Object decode(RpcMethod operation, Message reply) {
        RpcCodec.Reply decoded;
        try (InputStream in = new ByteBufInputStream(reply.payload().duplicate())) {
            decoded = rpc.codec().readReply(operation, in);
        } catch (IOException e) {
            throw new AgentException(ErrorCode.REMOTE_ERROR, "the reply to " + call(operation)
                    + " is not an RPC reply: " + RpcCodec.describe(e), e);
        }
        if (decoded.threw()) {
            throw new RemoteInvocationException(call(operation), decoded.remoteType(), decoded.remoteMessage());
        }
        return decoded.value();
    }

    private Throwable failure(RpcMethod operation, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof AgentException agent ? withCall(operation, agent) : cause;
    }

    /** The client's failure, saying which method was called (the client knows only the command). */
    private AgentException withCall(RpcMethod operation, AgentException e) {
        return new AgentException(e.code(), call(operation) + ": " + e.detail(), e);
    }

    private String call(RpcMethod operation) {
        return operation.display() + " at " + to;
    }

    private Object objectMethod(Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "RPC proxy of " + rpc.type().getName() + " at " + to;
            default -> throw new UnsupportedOperationException(method + " is not a remote operation");
        };
    }
}
