package io.msf.client.internal;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.client.api.Subscription;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.Topic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The {@link ConnectedClient} of a program outside the container: an agent connection over a Unix
 * domain socket or TCP, kept up by a {@link Connector}.
 *
 * <p>Threads: the connection's frames are handled on one event loop thread; the handler, the
 * listeners and the completion of {@link #requestAsync} stages run on the options' executor
 * (by default a thread of the client's own), never on the event loop, so that slow application
 * code cannot delay heartbeats or other replies; a callback that waits for such a stage completes it
 * itself ({@link CallbackFuture}). {@link #request} waits on the calling thread for
 * an answer completed by the event loop, so a handler may call it and wait (holding up, on the
 * client's own single callback thread, the messages waiting for the handler and the listeners:
 * {@link #requestAsync} does not); not one run on the event loop itself: it refuses at once there,
 * as Netty's await() does.
 */
public final class SocketAgentClient implements ConnectedClient {

    /**
     * How long past its timeout a request waits for the agent's answer (the agent enforces the
     * timeout; this covers the way back and a busy agent) before the client gives up on its own.
     */
    static final long GUARD_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * The guard of a request with the agent's default timeout, which the client does not know:
     * longer than any sensible default. A dead connection is noticed by the heartbeat long before;
     * only an agent that stays alive yet loses a request lets this run out.
     */
    static final long AGENT_DEFAULT_GUARD_NANOS = TimeUnit.MINUTES.toNanos(10);

    private static final Duration LONGEST_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    private final ClientOptions options;
    private final ClientThreads threads;
    private final ClientEvents events;
    private final Connector connector;
    private final AtomicBoolean closing = new AtomicBoolean();
    /**
     * Completes when the first close() has done its work; the others join it, which an interrupt does
     * not cut short (the first's waits are bounded) and which keeps the interrupt for the caller.
     */
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /** @param watchNanos how often the application's executor is watched ({@link ClientThreads}) */
    private SocketAgentClient(ClientOptions options, HostLookups lookups, long watchNanos) {
        this.options = options;
        this.threads = new ClientThreads(options.name(), options.executor(), options.ioThreads(), watchNanos);
        this.events = new ClientEvents(options.name().isEmpty() ? "msf client" : "msf client '" + options.name() + "'",
                options.onError(), threads.callbacks(), threads.ownCallbackThread());
        this.connector = new Connector(options, threads, events, lookups, this::close);
    }

    /** See {@link io.msf.client.api.AgentClients#connect}. */
    public static ConnectedClient connect(ClientOptions options) {
        return connect(options, HostLookups.JDK);
    }

    /** {@link #connect(ClientOptions)} with the agent's host looked up by {@code lookups}. */
    static ConnectedClient connect(ClientOptions options, HostLookups lookups) {
        return connect(Objects.requireNonNull(options, "options"), lookups, options.heartbeat().toNanos());
    }

    /**
     * {@link #connect(ClientOptions, HostLookups)} with the application's executor watched every
     * {@code watchNanos} rather than every heartbeat: for tests that must see a task it dropped taken
     * back soon, without a heartbeat so short that a busy machine's late PONG ends the connection.
     */
    static ConnectedClient connect(ClientOptions options, HostLookups lookups, long watchNanos) {
        SocketAgentClient client = new SocketAgentClient(options, lookups, watchNanos);
        CompletableFuture<Void> registered = client.connector.start();
        // The handshake has a timeout of its own, after the connect: a slow one reports that, not this wait.
        long patience = options.connectTimeout().toNanos() + (options.tls() == null ? 0
                : options.tlsHandshakeTimeout().toNanos());
        try {
            registered.get(patience, NANOSECONDS);
            return client;
        } catch (ExecutionException e) {
            client.close();
            throw Failures.rethrown(e);
        } catch (TimeoutException e) {
            // read first: closing ends the attempt under way, which then fails for that reason alone
            Throwable last = client.connector.lastFailure();
            boolean unanswered = client.connector.helloUnanswered();
            client.close();
            String why = last != null ? " (last attempt: " + Failures.describe(last) + ")"
                    : unanswered ? " " + notAnAgent(client.connector.address()) : "";
            throw new AgentException(ErrorCode.PEER_OFFLINE, "could not register with the agent at " + client.connector.address()
                    + " within " + NANOSECONDS.toMillis(patience) + " ms" + why, last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new AgentException(ErrorCode.PEER_OFFLINE,
                    "interrupted while connecting to the agent at " + client.connector.address(), e);
        }
    }

    /**
     * What a connection whose HELLO nothing answers says of its address, whichever ends the first wait: that
     * attempt's own HELLO timeout, or the wait (both last the connect timeout).
     */
    static String notAnAgent(String address) {
        return "(connected, but nothing answered the HELLO as an agent does: is " + address
                + " the agent's listener, and not another service's?)";
    }

    @Override
    public int id() {
        return connector.id();
    }

    @Override
    public String name() {
        return connector.name();
    }

    /** The registered connection, or null while there is none. */
    Session session() {
        return connector.current();
    }

    /** The clients' pooled allocator, which the connection reads and writes with too. */
    @Override
    public ByteBufAllocator alloc() {
        return ClientBuffers.ALLOCATOR;
    }

    @Override
    public Message request(Address to, int command, ByteBuf payload, Duration timeout) {
        int timeoutMillis = checkTimeout(timeout, payload);
        String what = describe("request to", to, command, payload);
        if (connector.loop().inEventLoop()) {
            payload.release();
            throw connector.wouldBlock(what, "requestAsync");
        }
        return PendingCalls.await(call(to, command, payload, timeoutMillis, what), guardNanos(timeoutMillis), what);
    }

    @Override
    public CompletionStage<Message> requestAsync(Address to, int command, ByteBuf payload, Duration timeout) {
        int timeoutMillis = checkTimeout(timeout, payload);
        String what = describe("request to", to, command, payload);
        // a reply the application no longer wants (it cancelled the stage) is released
        return CallbackFuture.of(call(to, command, payload, timeoutMillis, what), threads, what, Message::release);
    }

    private CompletableFuture<Message> call(Address to, int command, ByteBuf payload, int timeoutMillis, String what) {
        Session session = connector.current();
        if (isGone(session) || !session.writable()) {
            payload.release();
            return CompletableFuture.failedFuture(isGone(session) ? connector.offline(what) : overloaded(what));
        }
        long sequence = connector.nextSequence();
        Message frame = to.byName() ? Message.request(to.name(), command, sequence, timeoutMillis, payload)
                : Message.request(to.id(), command, sequence, timeoutMillis, payload);
        return session.call(frame, what, guardNanos(timeoutMillis));
    }

    @Override
    public CompletionStage<Void> notify(Address to, int command, ByteBuf payload) {
        String what = describe("notification to", to, command, payload);
        Session session = connector.current();
        if (isGone(session) || !session.writable()) {
            payload.release();
            return CompletableFuture.failedFuture(isGone(session) ? connector.offline(what) : overloaded(what));
        }
        long sequence = connector.nextSequence();
        Message frame = to.byName() ? Message.notification(to.name(), command, sequence, payload)
                : Message.notification(to.id(), command, sequence, payload);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        session.send(frame).addListener((ChannelFuture written) -> {
            if (written.isSuccess()) {
                sent.complete(null);
            } else {
                sent.completeExceptionally(connector.notWritten(what, written.cause()));
            }
        });
        return CallbackFuture.of(sent, threads, what, nothing -> { });
    }

    /**
     * While not connected (or too much waits to be sent) the publication is dropped and reported to
     * onError, with those dropped while that report waits for the executor.
     */
    @Override
    public void publish(String topic, int command, ByteBuf payload) {
        try {
            Objects.requireNonNull(payload, "payload");
            Topic.checkTopic(Objects.requireNonNull(topic, "topic"));
        } catch (RuntimeException e) {
            ReferenceCountUtil.release(payload);
            throw e;
        }
        Session session = connector.current();
        if (isGone(session) || !session.writable()) {
            payload.release();
            String what = publication(topic, command);
            events.publicationDropped(isGone(session) ? connector.offline(what) : overloaded(what));
            return;
        }
        session.publish(Message.publish(topic, command, connector.nextSequence(), payload));
    }

    /** Named only when something fails: publications are many and small, and most never need it. */
    static String publication(String topic, int command) {
        return "publication on '" + topic + "', command " + Integer.toUnsignedString(command);
    }

    /** Waits up to the connect timeout for the agent's acknowledgement. */
    @Override
    public Subscription subscribe(String pattern, Consumer<Message> listener) {
        return connector.subscriptions().subscribe(pattern, listener);
    }

    @Override
    public ConnectionState state() {
        return events.state();
    }

    @Override
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return events.awaitConnected(Objects.requireNonNull(timeout, "timeout"));
    }

    @Override
    public void onStateChange(Consumer<ConnectionState> listener) {
        events.onStateChange(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Closes once; every call returns when the client is closed: the first does the work, the
     * others wait for it and then for the client's threads, so none returns while the I/O thread
     * may still run callbacks or hold the socket. Called on one of the client's own threads (from
     * a handler, listener or callback of it) a close does not wait for that thread, which would
     * wait for itself. An interrupt does not cut the waits short (they are bounded): it is kept for
     * the caller.
     */
    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            try {
                connector.close();
                // The connection's last events have handed over their messages; the state change comes after,
                // not to be taken for dropped while a pool starts a thread for it.
                threads.callbacks().reclaimAtClose();
                events.moveTo(ConnectionState.CLOSED);
                threads.shutdown();
            } finally {
                closed.complete(null);
            }
        } else if (!threads.isOwnThread()) {
            closed.join();
        }
        threads.awaitTermination();
    }

    @Override
    public String toString() {
        return "SocketAgentClient[" + events.client() + " #" + Integer.toUnsignedString(id()) + ", " + state() + "]";
    }

    /**
     * No connection, or one closed whose end the event loop has yet to report: a closed channel has
     * no room left (Netty drops its outbound buffer at once), and that is no overload to retry on.
     */
    private static boolean isGone(Session session) {
        return session == null || !session.isOpen();
    }

    private AgentException overloaded(String what) {
        return new AgentException(ErrorCode.OVERLOADED, what + ": more than " + Connector.OUTBOUND_HIGH_WATER_BYTES
                + " bytes wait to be sent to the agent at " + connector.address());
    }

    private static long guardNanos(int timeoutMillis) {
        return timeoutMillis == 0 ? AGENT_DEFAULT_GUARD_NANOS
                : TimeUnit.MILLISECONDS.toNanos(timeoutMillis) + GUARD_MARGIN_NANOS;
    }

    /** The timeout field: 0 for the agent's default, a positive timeout under a millisecond rounded up to 1. */
    private static int checkTimeout(Duration timeout, ByteBuf payload) {
        if (timeout == null) {
            ReferenceCountUtil.release(payload);
            throw new NullPointerException("timeout"); // as the container's client: the two behave the same
        }
        if (timeout.isNegative() || timeout.compareTo(LONGEST_TIMEOUT) > 0) {
            ReferenceCountUtil.release(payload);
            throw new IllegalArgumentException("timeout " + timeout + " is outside 0.." + LONGEST_TIMEOUT);
        }
        return timeout.isZero() ? 0 : (int) Math.max(1, timeout.toMillis());
    }

    /** Also checks the arguments, releasing the payload when they are wrong: it is taken over in any case. */
    private static String describe(String kind, Address to, int command, ByteBuf payload) {
        if (to == null || payload == null) {
            ReferenceCountUtil.release(payload);
            throw new NullPointerException(to == null ? "to" : "payload");
        }
        return kind + " " + to + ", command " + Integer.toUnsignedString(command);
    }
}
