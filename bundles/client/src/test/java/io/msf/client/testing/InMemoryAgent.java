package io.msf.client.testing;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.client.api.Subscription;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.HandlerFailure;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.Topic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.EmptyByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The agent reduced to its routing, for other modules' unit tests (the test-jar of msf-client):
 * handlers by address, requests and notifications as calls of the addressed handler, publications
 * to the matching subscribers, with the agent's rules — an absent address is PEER_OFFLINE, no reply
 * in time is TIMEOUT, a handler's failure reaches its caller in the agent's code and words
 * ({@link HandlerFailure}), a message is released once its handler returns.
 *
 * <p>Handlers run on the caller's thread ({@link #InMemoryAgent()}) or, as a socket peer's would,
 * on threads of their own ({@link #onHandlerThreads()}). Every NOTIFY and PUBLISH is also recorded
 * as text ({@link #notified()}, {@link #published()}), delivered or not; every request and reply is
 * kept so a test can check that whoever got one released it ({@link #allReleased()}).
 */
public final class InMemoryAgent implements AutoCloseable {

    /** A NOTIFY or PUBLISH as it was sent: to a peer or topic, with a command and a UTF-8 payload. */
    public record Sent(String to, int command, String text) {
    }

    private record Subscriber(String pattern, Consumer<Message> listener) {
    }

    private final Map<Address, MessageHandler> handlers = new ConcurrentHashMap<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final List<Sent> notified = new CopyOnWriteArrayList<>();
    private final List<Sent> published = new CopyOnWriteArrayList<>();
    private final List<Message> requests = new CopyOnWriteArrayList<>();
    private final List<Message> replies = new CopyOnWriteArrayList<>();
    private final AtomicLong sequences = new AtomicLong();
    private final ExecutorService handlerThreads;

    /** Handlers run on the sender's thread. */
    public InMemoryAgent() {
        this(null);
    }

    private InMemoryAgent(ExecutorService handlerThreads) {
        this.handlerThreads = handlerThreads;
    }

    /** Requests run on threads of their own; {@link #close()} ends them. */
    public static InMemoryAgent onHandlerThreads() {
        return new InMemoryAgent(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "in-memory-agent-handler");
            thread.setDaemon(true);
            return thread;
        }));
    }

    /** {@code handler} answers to {@code name} from now on (replacing any other). */
    public void register(String name, MessageHandler handler) {
        handlers.put(Address.name(name), handler);
    }

    /** {@code handler} answers to {@code id} from now on (replacing any other). */
    public void register(int id, MessageHandler handler) {
        handlers.put(Address.id(id), handler);
    }

    public void unregister(String name) {
        handlers.remove(Address.name(name));
    }

    /** The client of one bundle or program, known to the others by {@code id}. */
    public AgentClient client(int id) {
        return new Client(id);
    }

    /** Open subscriptions. */
    public int subscriptions() {
        return subscribers.size();
    }

    /** Every NOTIFY sent so far, in order. */
    public List<Sent> notified() {
        return List.copyOf(notified);
    }

    /** Every PUBLISH sent so far, in order. */
    public List<Sent> published() {
        return List.copyOf(published);
    }

    /** Replies handed out so far. */
    public int replyCount() {
        return replies.size();
    }

    /** Every request was released by its handler's caller and every reply by whoever received it. */
    public boolean allReleased() {
        return requests.stream().allMatch(InMemoryAgent::released) && replies.stream().allMatch(InMemoryAgent::released);
    }

    /** The shared empty buffer cannot be released: releasing it is a no-op, so it counts as released. */
    private static boolean released(Message message) {
        return message.refCnt() == 0 || message.payload() instanceof EmptyByteBuf;
    }

    @Override
    public void close() {
        if (handlerThreads != null) {
            handlerThreads.shutdownNow();
        }
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
                return requestAsync(to, command, payload, timeout).toCompletableFuture().get();
            } catch (ExecutionException e) {
                throw (AgentException) e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException(ErrorCode.TIMEOUT, "interrupted while waiting for " + to);
            }
        }

        @Override
        public CompletionStage<Message> requestAsync(Address to, int command, ByteBuf payload, Duration timeout) {
            long sequence = sequences.incrementAndGet();
            int timeoutMillis = (int) timeout.toMillis();
            Message request = (to.byName() ? Message.request(to.name(), command, sequence, timeoutMillis, payload)
                    : Message.request(to.id(), command, sequence, timeoutMillis, payload)).withSource(id);
            requests.add(request);
            CompletableFuture<Message> reply = new CompletableFuture<>();
            Runnable call = () -> answer(to, request).whenComplete((body, failure) -> {
                if (failure != null) {
                    reply.completeExceptionally(agentError(failure));
                    return;
                }
                Message message = Message.reply(request, body == null ? Unpooled.EMPTY_BUFFER : body);
                replies.add(message);
                if (!reply.complete(message)) {
                    message.release(); // too late: the agent drops a late reply
                }
            });
            if (handlerThreads == null) {
                call.run();
            } else {
                handlerThreads.execute(call);
            }
            return reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionallyCompose(failure -> CompletableFuture.failedFuture(failure instanceof TimeoutException
                            ? new AgentException(ErrorCode.TIMEOUT, "no reply from " + to + " within "
                                    + timeout.toMillis() + " ms")
                            : failure));
        }

        @Override
        public CompletionStage<Void> notify(Address to, int command, ByteBuf payload) {
            long sequence = sequences.incrementAndGet();
            Message notification = (to.byName() ? Message.notification(to.name(), command, sequence, payload)
                    : Message.notification(to.id(), command, sequence, payload)).withSource(id);
            notified.add(new Sent(to.toString(), command, text(notification)));
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
            Message publication = Message.publish(topic, command, sequences.incrementAndGet(), payload).withSource(id);
            published.add(new Sent(topic, command, text(publication)));
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

    /** The handler's answer; the request is released once the handler returns, as the agent does. */
    private CompletionStage<ByteBuf> answer(Address to, Message request) {
        try {
            CompletionStage<ByteBuf> answer = handlerOf(to).handle(request);
            return answer == null ? CompletableFuture.completedFuture(null) : answer;
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            request.release();
        }
    }

    private MessageHandler handlerOf(Address to) {
        MessageHandler handler = handlers.get(to);
        if (handler == null) {
            throw new AgentException(ErrorCode.PEER_OFFLINE, "nobody answers to " + to);
        }
        return handler;
    }

    private static String text(Message message) {
        return message.payload().toString(StandardCharsets.UTF_8);
    }

    /**
     * A handler's failure in the agent's code and words ({@link HandlerFailure}): the handler's own
     * exception when it keeps its code.
     */
    private static AgentException agentError(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        HandlerFailure answer = cause instanceof AgentException agent ? HandlerFailure.of(agent.code(), agent.detail())
                : HandlerFailure.of(cause);
        if (cause instanceof AgentException agent && agent.code() == answer.code()) {
            return agent;
        }
        return new AgentException(answer.code(), answer.text());
    }
}
