package io.msf.agent.internal.broker;

import io.msf.agent.api.PeerKind;
import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.client.api.Subscription;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Topic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A bundle's {@link AgentClient} inside the container: a peer with an id from the assigned range
 * and no name. To an in-container handler it is a method call ({@link HandlerPeer#call}); to a
 * connection the broker forwards and tracks the request like any other. Closing it (the bundle
 * stops) ends its subscriptions and fails its outstanding requests, those to handlers too.
 */
public final class LocalClient extends Peer implements AgentClient {

    private final Broker broker;
    private final ByteBufAllocator alloc;
    private final AtomicLong sequences = new AtomicLong();
    private final Set<LocalSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    /** Async requests to in-container handlers whose answers have not come yet ({@link #awaited}). */
    private final Set<CompletableFuture<Message>> handlerCalls = ConcurrentHashMap.newKeySet();
    /**
     * The frames (header, topic and payload) of the publications given to its listeners: what their
     * queues count in, so that {@link #queueDepth} divides like by like.
     */
    final LongAdder publicationFrameBytes = new LongAdder();
    /** Those publications: its messages out count the replies to its requests too, which wait in no queue. */
    final LongAdder publicationsGiven = new LongAdder();
    /** What {@link #error} has nobody else to tell; package-private for tests, which end its interval themselves. */
    final RepeatedWarnings errors;

    LocalClient(Broker broker, int id, String origin, ByteBufAllocator alloc) {
        super(id, "", PeerKind.BUNDLE, origin, new SharedOutstandingRequests(broker));
        this.broker = broker;
        this.alloc = alloc;
        this.errors = new RepeatedWarnings(broker, "agent client of " + origin);
    }

    @Override
    public ByteBufAllocator alloc() {
        return alloc;
    }

    @Override
    public Message request(Address to, int command, ByteBuf payload, Duration timeout) {
        Message request = outgoing(MessageType.REQUEST, to, command, payload, timeout);
        Peer destination = broker.resolveAdmitted(this, to.name(), to.id());
        if (destination instanceof HandlerPeer) {
            return ((HandlerPeer) destination).call(this, request, effective(request));
        }
        if (destination instanceof SocketPeer && ((SocketPeer) destination).eventLoop().inEventLoop()) {
            request.release();
            stats.errors.increment();
            // A handler runs on its requester's loop: waiting there for that connection's answer would hold
            // up the loop, with its other connections and their PONGs, for the whole timeout, and then fail.
            throw new IllegalStateException("request to " + Broker.address(to.name(), to.id()) + " from " + origin
                    + " on the event loop of " + destination.label() + ", which reads its answer: it would wait out"
                    + " its timeout there, and every connection of that loop with it; use requestAsync (a handler or"
                    + " listener must not block)");
        }
        return Awaits.reply(requestThroughBroker(request), effective(request), to);
    }

    @Override
    public CompletionStage<Message> requestAsync(Address to, int command, ByteBuf payload, Duration timeout) {
        Message request;
        try {
            request = outgoing(MessageType.REQUEST, to, command, payload, timeout);
        } catch (AgentException e) {
            return CompletableFuture.failedFuture(e);
        }
        Peer destination = broker.resolveAdmitted(this, to.name(), to.id());
        if (destination instanceof HandlerPeer) {
            CompletableFuture<Message> answer = ((HandlerPeer) destination).callAsync(this, request,
                    effective(request));
            return answer.isDone() ? answer : awaited(answer);
        }
        return requestThroughBroker(request);
    }

    /**
     * Keeps a handler's answer still to come until it comes, so that {@link #close} can fail it: the
     * broker does not track a direct call as it tracks a request to a connection. Only answers that
     * did not come at once pay for it; they wait on a timer already.
     */
    private CompletableFuture<Message> awaited(CompletableFuture<Message> answer) {
        handlerCalls.add(answer);
        answer.whenComplete((reply, failure) -> handlerCalls.remove(answer));
        if (isClosed()) {
            // close() ran meanwhile and may have missed it.
            answer.completeExceptionally(closedWithRequest());
        }
        return answer;
    }

    private AgentException closedWithRequest() {
        return new AgentException(ErrorCode.PEER_OFFLINE, label() + " was closed with the request outstanding");
    }

    private CompletableFuture<Message> requestThroughBroker(Message request) {
        CompletableFuture<Message> reply = new CompletableFuture<>();
        broker.request(this, request, reply);
        return reply;
    }

    private int effective(Message request) {
        return request.timeoutMillis() == 0 ? broker.settings().defaultTimeoutMillis() : request.timeoutMillis();
    }

    @Override
    public CompletionStage<Void> notify(Address to, int command, ByteBuf payload) {
        Message notification;
        try {
            notification = outgoing(MessageType.NOTIFY, to, command, payload, Duration.ZERO);
        } catch (AgentException e) {
            return CompletableFuture.failedFuture(e);
        }
        Peer destination = broker.uplinks.routeAdmitted(this, to.name(), to.id());
        ErrorCode problem = destination == null ? ErrorCode.PEER_OFFLINE
                : Broker.fits(destination, notification) ? ErrorCode.OK : ErrorCode.TOO_LARGE;
        if (problem != ErrorCode.OK) {
            Broker.withdraw(destination);
            String detail = problem == ErrorCode.PEER_OFFLINE ? broker.uplinks.offline(this, to.name(), to.id())
                    : Broker.tooLarge(destination, notification);
            notification.release();
            if (problem == ErrorCode.PEER_OFFLINE) {
                broker.totals.peerOffline.increment();
            }
            return CompletableFuture.failedFuture(Answers.agentThrown(this, new AgentException(problem, detail)));
        }
        broker.totals.routed.increment();
        destination.deliverNotification(notification, this);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void publish(String topic, int command, ByteBuf payload) {
        Objects.requireNonNull(payload, "payload");
        try {
            Topic.checkTopic(Objects.requireNonNull(topic, "topic"));
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        }
        if (isClosed()) {
            // The bundle let go of this client and its id: nothing more goes out under that id.
            payload.release();
            stats.errors.increment();
            return;
        }
        stats.received(payload.readableBytes());
        broker.publications.publish(this, new Message(MessageType.PUBLISH, 0, ErrorCode.OK, id, 0, topic, command,
                sequences.incrementAndGet(), 0, payload));
    }

    @Override
    public Subscription subscribe(String pattern, Consumer<Message> listener) {
        Topic.checkPattern(Objects.requireNonNull(pattern, "pattern"));
        Objects.requireNonNull(listener, "listener");
        if (isClosed()) {
            throw closed();
        }
        if (subscriptions.size() >= Publications.MAX_PATTERNS_PER_SUBSCRIBER) {
            throw new AgentException(ErrorCode.OVERLOADED, label() + " of " + origin + " already holds "
                    + subscriptions.size() + " subscriptions, the most one client may");
        }
        LocalSubscription subscription = new LocalSubscription(broker, this, pattern, listener);
        subscriptions.add(subscription);
        broker.publications.index.add(pattern, subscription);
        if (isClosed()) {
            // close() ran meanwhile and may have missed this subscription: end it here, or a stopped
            // bundle's listener would stay in the index for good.
            subscription.close();
            throw closed();
        }
        return subscription;
    }

    void forget(LocalSubscription subscription) {
        subscriptions.remove(subscription);
    }

    /** Checks and counts what this client sends, as a message from it; the payload is released on failure. */
    private Message outgoing(MessageType type, Address to, int command, ByteBuf payload, Duration timeout) {
        int millis;
        try {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(payload, "payload");
            millis = Awaits.millis(timeout);
            if (isClosed()) {
                throw closed();
            }
        } catch (RuntimeException e) {
            ReferenceCountUtil.release(payload);
            throw e;
        }
        stats.received(payload.readableBytes());
        // releases the payload itself if it refuses a field
        return new Message(type, 0, ErrorCode.OK, id, to.id(), to.name(), command, sequences.incrementAndGet(),
                millis, payload);
    }

    private AgentException closed() {
        return new AgentException(ErrorCode.PEER_OFFLINE, "the agent client of " + origin + " is closed");
    }

    /** Answers to this client's requests arrive through their futures: anything else is dropped. */
    @Override
    void deliver(Message message) {
        message.release();
    }

    /** A connection asked this client for something: a client handles no requests. */
    @Override
    void deliverRequest(Message request, PendingRequest pending) {
        request.release();
        broker.answer(pending, Failures.frame(ErrorCode.NO_HANDLER, pending.requester.id, pending.command,
                pending.sequence, label() + " is the agent client of " + origin + " and handles no requests"));
    }

    /**
     * A publication of this client was too large for some subscribers, or a NOTIFY of it found its
     * connection closed before it was written: nobody to tell but the log, which a bundle publishing
     * such frames on every publication must not flood.
     */
    @Override
    void error(ErrorCode code, int command, long sequence, String detail) {
        stats.errors.increment();
        errors.warn(code + " " + detail, null);
    }

    /**
     * The publications waiting for this client's listeners, estimated from their bytes and the mean
     * frame it was given, as a connection's queue is: counting them one by one would cost every
     * publication two more atomic updates (in and out), for a figure read only by agent:stats and the monitor.
     */
    @Override
    int queueDepth() {
        long waiting = 0;
        for (LocalSubscription subscription : subscriptions) {
            waiting += subscription.queuedBytes();
        }
        if (waiting <= 0) {
            return 0;
        }
        // to the nearest one; never under the header, for a client given nothing yet
        long meanFrame = Math.max(Frames.HEADER_BYTES,
                publicationFrameBytes.sum() / Math.max(1, publicationsGiven.sum()));
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (waiting + meanFrame / 2) / meanFrame));
    }

    String subscriberLabel() {
        return "#" + Integer.toUnsignedString(id);
    }

    /** Ends the subscriptions, fails the outstanding requests and releases the id. */
    public void close() {
        // Closed first, so that a subscribe() racing with this sees it and ends its own subscription.
        broker.departed(this);
        for (LocalSubscription subscription : subscriptions) {
            subscription.close();
        }
        // As departed() fails those to connections: the bundle's callbacks do not run after it stopped.
        for (CompletableFuture<Message> call : handlerCalls) {
            call.completeExceptionally(closedWithRequest());
        }
    }
}
