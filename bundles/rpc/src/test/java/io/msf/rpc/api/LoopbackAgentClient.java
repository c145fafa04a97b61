package io.msf.rpc.api;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.client.api.Subscription;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An agent in a box for tests: every request goes to one {@link MessageHandler} on a thread of its
 * own (as a socket peer's handler would run), with the agent's rules: the request is released once
 * the handler returns, the timeout gives TIMEOUT, an {@link AgentException} keeps its code and any
 * other failure becomes REMOTE_ERROR with its class and message. Replies handed out are recorded so
 * a test can check that whoever got them released them.
 */
final class LoopbackAgentClient implements AgentClient, AutoCloseable {

    private static final int CALLER_ID = 5;

    private final MessageHandler handler;
    private final ExecutorService remote = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "loopback-handler");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong sequence = new AtomicLong();
    private final List<Message> replies = new CopyOnWriteArrayList<>();
    private final List<Message> requests = new CopyOnWriteArrayList<>();

    LoopbackAgentClient(MessageHandler handler) {
        this.handler = handler;
    }

    @Override
    public int id() {
        return CALLER_ID;
    }

    @Override
    public String name() {
        return "";
    }

    @Override
    public ByteBufAllocator alloc() {
        return PooledByteBufAllocator.DEFAULT;
    }

    @Override
    public Message request(Address to, int command, ByteBuf payload, Duration timeout) {
        try {
            return requestAsync(to, command, payload, timeout).toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw (AgentException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(ErrorCode.TIMEOUT, "interrupted");
        }
    }

    @Override
    public CompletionStage<Message> requestAsync(Address to, int command, ByteBuf payload, Duration timeout) {
        Message request = Message.request(to.name(), command, sequence.incrementAndGet(), (int) timeout.toMillis(),
                payload).withSource(CALLER_ID);
        requests.add(request);
        CompletableFuture<ByteBuf> answer = CompletableFuture.supplyAsync(() -> deliver(request), remote)
                .thenCompose(stage -> stage == null ? CompletableFuture.completedFuture(null) : stage);
        CompletableFuture<Message> reply = new CompletableFuture<>();
        answer.whenComplete((body, failure) -> {
            if (failure != null) {
                reply.completeExceptionally(asAgentError(failure));
                return;
            }
            Message message = Message.reply(request, body == null ? Unpooled.EMPTY_BUFFER : body);
            replies.add(message);
            if (!reply.complete(message)) {
                message.release(); // timed out already: the agent drops a late reply
            }
        });
        reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return reply.exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                failure instanceof TimeoutException ? new AgentException(ErrorCode.TIMEOUT, "no reply from " + to
                        + " within " + timeout.toMillis() + " ms") : failure));
    }

    /** Every request was released by the handler's caller and every reply by whoever received it. */
    boolean allReleased() {
        return requests.stream().allMatch(m -> m.refCnt() == 0) && replies.stream().allMatch(m -> m.refCnt() == 0);
    }

    int replyCount() {
        return replies.size();
    }

    private CompletionStage<ByteBuf> deliver(Message request) {
        try {
            return handler.handle(request);
        } catch (Exception e) {
            throw new CompletionException(e);
        } finally {
            request.release();
        }
    }

    private static AgentException asAgentError(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof AgentException agent ? agent
                : new AgentException(ErrorCode.REMOTE_ERROR, cause.getClass().getName() + ": " + cause.getMessage());
    }

    @Override
    public CompletionStage<Void> notify(Address to, int command, ByteBuf payload) {
        throw new UnsupportedOperationException("RPC sends no notifications");
    }

    @Override
    public void publish(String topic, int command, ByteBuf payload) {
        throw new UnsupportedOperationException("RPC publishes nothing");
    }

    @Override
    public Subscription subscribe(String pattern, Consumer<Message> listener) {
        throw new UnsupportedOperationException("RPC subscribes to nothing");
    }

    @Override
    public void close() {
        remote.shutdownNow();
    }
}
