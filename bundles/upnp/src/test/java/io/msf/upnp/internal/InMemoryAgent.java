package io.msf.upnp.internal;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.client.api.Subscription;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.Topic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The in-container agent reduced to its routing, for tests: handlers by name, requests and
 * notifications as direct calls, publications to matching subscribers; an absent name is
 * PEER_OFFLINE, a handler's failure an ERROR the agent's way, no reply in time TIMEOUT.
 */
final class InMemoryAgent {

    private record Subscriber(String pattern, Consumer<Message> listener) {
    }

    private final Map<String, MessageHandler> handlers = new ConcurrentHashMap<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    void register(String name, MessageHandler handler) {
        handlers.put(name, handler);
    }

    void unregister(String name) {
        handlers.remove(name);
    }

    int subscriptions() {
        return subscribers.size();
    }

    /** The client of one bundle, known to the others by {@code id}. */
    AgentClient client(int id) {
        return new Client(id);
    }

    private final class Client implements AgentClient {
        private final int id;

        Client(int id) {
            this.id = id;
        }

        @Override
        public int id() {
            return id;
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
            Message request = Message.request(to.name(), command, 1, (int) timeout.toMillis(), payload).withSource(id);
            CompletableFuture<Message> reply = new CompletableFuture<>();
            try {
                CompletionStage<ByteBuf> answer = handlerOf(to).handle(request);
                if (answer == null) {
                    reply.complete(Message.reply(request, Unpooled.EMPTY_BUFFER));
                } else {
                    answer.whenComplete((body, failure) -> {
                        if (failure != null) {
                            reply.completeExceptionally(agentError(failure));
                        } else if (!reply.complete(Message.reply(request, body == null ? Unpooled.EMPTY_BUFFER : body))) {
                            body.release();
                        }
                    });
                }
            } catch (Exception e) {
                reply.completeExceptionally(agentError(e));
            } finally {
                request.release();
            }
            reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return reply.exceptionallyCompose(failure -> CompletableFuture.failedFuture(failure instanceof TimeoutException
                    ? new AgentException(ErrorCode.TIMEOUT, "no reply from " + to) : failure));
        }

        @Override
        public CompletionStage<Void> notify(Address to, int command, ByteBuf payload) {
            Message notification = Message.notification(to.name(), command, 1, payload).withSource(id);
            try {
                handlerOf(to).handle(notification);
                return CompletableFuture.completedFuture(null);
            } catch (Exception e) {
                return CompletableFuture.failedFuture(agentError(e));
            } finally {
                notification.release();
            }
        }

        @Override
        public void publish(String topic, int command, ByteBuf payload) {
            Message publication = Message.publish(topic, command, 1, payload).withSource(id);
            try {
                for (Subscriber subscriber : subscribers) {
                    if (Topic.matches(subscriber.pattern(), topic)) {
                        Message copy = publication.retainedDuplicate();
                        try {
                            subscriber.listener().accept(copy);
                        } finally {
                            copy.release();
                        }
                    }
                }
            } finally {
                publication.release();
            }
        }

        @Override
        public Subscription subscribe(String pattern, Consumer<Message> listener) {
            Subscriber subscriber = new Subscriber(Topic.checkPattern(pattern), listener);
            subscribers.add(subscriber);
            return new Subscription() {
                @Override
                public String pattern() {
                    return pattern;
                }

                @Override
                public void close() {
                    subscribers.remove(subscriber);
                }
            };
        }
    }

    private MessageHandler handlerOf(Address to) {
        MessageHandler handler = handlers.get(to.name());
        if (handler == null) {
            throw new AgentException(ErrorCode.PEER_OFFLINE, "nobody has the name " + to);
        }
        return handler;
    }

    private static AgentException agentError(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof AgentException agent ? agent
                : new AgentException(ErrorCode.REMOTE_ERROR, cause.getClass().getName() + ": " + cause.getMessage());
    }
}
