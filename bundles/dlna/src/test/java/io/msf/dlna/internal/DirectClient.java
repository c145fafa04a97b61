package io.msf.dlna.internal;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.client.api.Subscription;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The in-container agent as dlna sees it, for tests: a request is a direct call of one handler (its
 * failures become ERRORs the agent's way), notifications and publications are recorded as text.
 */
final class DirectClient implements AgentClient {

    /** A NOTIFY or PUBLISH dlna sent: to a peer or topic, with a command and a text payload. */
    record Sent(String to, int command, String text) {
    }

    private volatile MessageHandler target;
    final List<Sent> notified = new CopyOnWriteArrayList<>();
    final List<Sent> published = new CopyOnWriteArrayList<>();

    /** Requests go to {@code handler} from now on. */
    void routeTo(MessageHandler handler) {
        this.target = handler;
    }

    @Override
    public int id() {
        return 0x8000_0001;
    }

    @Override
    public String name() {
        return "";
    }

    @Override
    public ByteBufAllocator alloc() {
        return UnpooledByteBufAllocator.DEFAULT;
    }

    @Override
    public Message request(Address to, int command, ByteBuf payload, Duration timeout) {
        try {
            return requestAsync(to, command, payload, timeout).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw (AgentException) e.getCause();
        }
    }

    @Override
    public CompletionStage<Message> requestAsync(Address to, int command, ByteBuf payload, Duration timeout) {
        Message request = Message.request(to.name(), command, 1, (int) timeout.toMillis(), payload).withSource(id());
        try {
            CompletionStage<ByteBuf> answer = target.handle(request);
            return answer.thenApply(body -> Message.reply(request, body == null ? Unpooled.EMPTY_BUFFER : body));
        } catch (AgentException e) {
            return CompletableFuture.failedFuture(e);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(new AgentException(ErrorCode.REMOTE_ERROR,
                    e.getClass().getName() + ": " + e.getMessage()));
        } finally {
            request.release();
        }
    }

    /** Sends {@code text} to the handler and returns the reply as text. */
    String send(int command, String text) {
        Message reply = request(Address.name("dlna"), command,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), Duration.ofSeconds(1));
        try {
            return reply.payload().toString(StandardCharsets.UTF_8);
        } finally {
            reply.release();
        }
    }

    @Override
    public CompletionStage<Void> notify(Address to, int command, ByteBuf payload) {
        notified.add(new Sent(to.toString(), command, take(payload)));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void publish(String topic, int command, ByteBuf payload) {
        published.add(new Sent(topic, command, take(payload)));
    }

    @Override
    public Subscription subscribe(String pattern, Consumer<Message> listener) {
        throw new UnsupportedOperationException("dlna subscribes to nothing");
    }

    private static String take(ByteBuf payload) {
        try {
            return payload.toString(StandardCharsets.UTF_8);
        } finally {
            payload.release();
        }
    }
}
