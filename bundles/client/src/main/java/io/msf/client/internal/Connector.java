package io.msf.client.internal;

import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Hello;
import io.msf.protocol.api.Message;
import io.msf.protocol.codec.AgentCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a client connected: connects, registers (HELLO), and when the connection is lost connects
 * again after a backoff and registers with the same claims (with REPLACE unless
 * {@link ClientOptions#replaceOnReconnect} is off), subscribing again. An id the agent assigned is
 * not claimed again: the agent refuses claims in its range (docs/protocol.md section 6), so the
 * client asks for a new one.
 * Its state lives on the client's event loop; {@link #current} is read by any thread.
 */
final class Connector {

    /** Bytes queued for the agent past which sends fail with OVERLOADED instead of queueing without bound. */
    static final int OUTBOUND_HIGH_WATER_BYTES = 8 << 20;

    /** What a call still waiting, or a frame still queued, hears when the application closes the client. */
    static final String CLOSED_BY_THE_APPLICATION = "the client was closed";

    private final ClientOptions options;
    private final EventLoop loop;
    private final ClientEvents events;
    private final Inbound inbound;
    private final Subscriptions subscriptions;
    private final Runnable closeClient;
    /** The agent's address for people: host:port as given, or the socket's path. */
    private final String address;
    private final Bootstrap bootstrap;
    private final Backoff backoff;
    /**
     * How long a registration must last to start the backoff over: a heartbeat interval, at most the
     * longest delay (a heartbeat of "hardly ever" would otherwise keep the client at it for good).
     */
    private final long stableNanos;
    /**
     * Starts at random, below 2^62 so that it never wraps to 0: a process that claims a fixed id and
     * its successor under that id (after a crash) must not number their requests alike, or the
     * answer to the first one's request, still on its way, would settle the successor's.
     */
    private final AtomicLong sequences = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 62));
    private final CompletableFuture<Void> firstRegistration = new CompletableFuture<>();

    private volatile Session current;
    private volatile boolean closed;
    private volatile int grantedId;
    private volatile String grantedName;
    private volatile Throwable lastFailure;
    /** A connection is open and its HELLO sent, with no answer yet: read when the first registration times out. */
    private volatile boolean helloUnanswered;
    // Owned by the event loop:
    private boolean registeredOnce;
    private Channel channel;
    private ScheduledFuture<?> nextAttempt;
    /** When the connection was last registered, on the loop's ticker. */
    private long registeredAtNanos;

    /**
     * @param lookups looks the agent's host name up at each attempt (TCP)
     * @param closeClient closes the whole client when the agent refuses it for good
     */
    Connector(ClientOptions options, ClientThreads threads, ClientEvents events, HostLookups lookups,
            Runnable closeClient) {
        this.options = options;
        this.address = describe(options.agent());
        this.loop = threads.loop();
        this.events = events;
        this.closeClient = closeClient;
        this.grantedName = options.name();
        this.backoff = new Backoff(options.reconnectInitial(), options.reconnectMax(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.stableNanos = Math.min(options.heartbeat().toNanos(), options.reconnectMax().toNanos());
        // A handler on the I/O thread is called inline: it promised not to block (ClientOptions.handlerOnIoThread).
        WatchedExecutor handlerExecutor = options.handlerOnIoThread() ? WatchedExecutor.trusted(Runnable::run)
                : threads.callbacks();
        this.inbound = new Inbound(options.handler(), handlerExecutor, new InboundBudget(options.maxQueuedMessages()),
                events, () -> closed);
        this.subscriptions = new Subscriptions(this, threads.callbacks(), options.listenersOnIoThread());
        boolean tcp = options.agent() instanceof InetSocketAddress;
        this.bootstrap = new Bootstrap().group(loop)
                .channel(tcp ? NioSocketChannel.class : NioDomainSocketChannel.class)
                .option(ChannelOption.ALLOCATOR, ClientBuffers.ALLOCATOR)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        options.connectTimeout().toMillis()))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(OUTBOUND_HIGH_WATER_BYTES / 2, OUTBOUND_HIGH_WATER_BYTES))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (options.tls() != null) {
                            // First: the HELLO waits in it until the handshake has verified the agent, and
                            // the flushes consolidated behind it become few, full TLS records.
                            ch.pipeline().addLast("tls", Tls.handler(options.tls(), (InetSocketAddress) options.agent(),
                                    options.tlsHandshakeTimeout().toMillis()));
                        }
                        // Frames are written and flushed one by one: the codec's flush consolidator turns the
                        // flushes of one read batch, or of a burst from the application's threads, into one each.
                        AgentCodec.addConsolidatingTo(ch.pipeline(), options.maxFrameBytes());
                        // In front of the decoder: a frame still arriving is the agent alive (Heartbeat).
                        Heartbeat heartbeat = new Heartbeat(options.heartbeat().toNanos(), Connector.this::nextSequence);
                        ch.pipeline().addBefore(AgentCodec.DECODER, "heartbeat", heartbeat)
                                .addLast("session", new Session(Connector.this, heartbeat));
                    }
                });
        if (tcp) {
            // Requests and replies are small and latency-bound; Nagle would hold them back.
            bootstrap.option(ChannelOption.TCP_NODELAY, true).resolver(lookups);
        }
    }

    /** Starts connecting; the result completes when first registered, or fails when refused. */
    CompletableFuture<Void> start() {
        loop.execute(this::attempt);
        return firstRegistration;
    }

    private void attempt() {
        if (closed) {
            return;
        }
        ChannelFuture connecting = bootstrap.connect(options.agent());
        channel = connecting.channel();
        connecting.addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                retry(done.cause());
            }
        });
    }

    private void retry(Throwable failure) {
        if (closed) {
            return; // failed because the client closed it: says nothing about the agent
        }
        lastFailure = failure;
        nextAttempt = loop.schedule(this::attempt, backoff.nextNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The HELLO for a new connection: the same claims every time (the configured id, 0 for an
     * assigned one, and name), taken over (REPLACE) after the first unless
     * {@link ClientOptions#replaceOnReconnect} is off.
     */
    Message hello(ByteBufAllocator alloc) {
        int heartbeatMillis = (int) Math.min(Integer.MAX_VALUE, options.heartbeat().toMillis());
        return Message.hello(options.id(), options.name(), registeredOnce && options.replaceOnReconnect(),
                Hello.offer(options.maxFrameBytes(), heartbeatMillis, options.token()).write(alloc));
    }

    /** The agent accepted the HELLO on {@code session}. */
    void registered(Session session, int id, String name) {
        helloUnanswered = false;
        grantedId = id;
        grantedName = name;
        registeredOnce = true;
        // Not the backoff's reset yet: an agent that takes the HELLO and drops the connection at once (a
        // crash or cut-off loop) would be knocked at every few milliseconds for good. See ended().
        registeredAtNanos = loop.ticker().nanoTime();
        // Under the subscriptions' lock: a last subscription closed between the re-subscription
        // and this session becoming current would find no session to send its UNSUBSCRIBE on, and
        // the agent would keep the pattern until the next reconnect.
        synchronized (subscriptions) {
            subscriptions.resubscribe(session);
            current = session;
        }
        events.moveTo(ConnectionState.CONNECTED);
        firstRegistration.complete(null);
        ClientEvents.LOG.log(Level.DEBUG, () -> events.client() + ": registered with the agent at " + address()
                + " as #" + Integer.toUnsignedString(id));
        if (closed) {
            channel.close();
        }
    }

    /** A connection ended: refused, lost, or closed by {@link #close}. */
    void ended(Session session, boolean wasRegistered, AgentException refusal, Throwable lost) {
        helloUnanswered = false;
        if (current == session) {
            current = null;
        }
        if (closed) {
            return;
        }
        if (refusal != null && !firstRegistration.isDone()) {
            firstRegistration.completeExceptionally(refusal);
        } else if (session.tlsFailed() && !firstRegistration.isDone()) {
            // An untrusted certificate or a plain-text agent will not change in a moment: say so now,
            // not at the connect timeout. Later, reconnecting goes on: the agent may get a new certificate.
            firstRegistration.completeExceptionally(lost);
        } else if (session.breachedAtHello() && !firstRegistration.isDone()) {
            // Nor will an agent that answers the HELLO with what it may not, or with a malformed frame (what
            // listens there may be no agent): connect() fails with the breach now, which onError has heard of
            // (Session.breach, Session.exceptionCaught), rather than with PEER_OFFLINE at the connect timeout,
            // which hid it. Later, reconnecting goes on, as for any breach.
            firstRegistration.completeExceptionally(lost);
        } else if (refusal != null && !session.helloLate()) {
            ClientEvents.LOG.log(Level.WARNING, events.client() + ": " + refusal.getMessage() + "; closing");
            events.error(refusal);
            closeClient.run();
        } else if (refusal != null) {
            // Only the agent's clock refused it, on a reconnect: what the first connect got through
            // (token, version, claims) is still good, so the next attempt may well make it in time.
            ClientEvents.LOG.log(Level.INFO, events.client() + ": " + refusal.getMessage() + "; reconnecting");
            retry(refusal);
        } else {
            if (wasRegistered && loop.ticker().nanoTime() - registeredAtNanos >= stableNanos) {
                backoff.reset(); // the agent was well: this is a new outage, not the last one going on
            }
            if (wasRegistered && events.moveTo(ConnectionState.RECONNECTING)) {
                ClientEvents.LOG.log(Level.INFO, events.client() + ": lost the agent at " + address()
                        + (lost == null ? "" : " (" + Failures.describe(lost) + ")") + "; reconnecting");
            }
            retry(lost);
        }
    }

    /** Stops connecting and closes the connection; its outstanding calls fail with PEER_OFFLINE. */
    void close() {
        closed = true;
        current = null;
        Runnable stop = () -> {
            if (nextAttempt != null) {
                nextAttempt.cancel(false);
            }
            if (channel != null) {
                channel.close();
            }
        };
        if (loop.inEventLoop()) {
            stop.run();
        } else if (!loop.isShuttingDown()) {
            loop.submit(stop).awaitUninterruptibly(options.connectTimeout().toMillis());
        }
    }

    /** The registered connection, or null while there is none. */
    Session current() {
        return current;
    }

    /**
     * The registered connection.
     *
     * @throws AgentException PEER_OFFLINE while there is none
     */
    Session sessionFor(String what) {
        Session session = current;
        if (session == null) {
            throw offline(what);
        }
        return session;
    }

    AgentException offline(String what) {
        ConnectionState state = events.state();
        // CONNECTED still: the connection was closed and its end is on its way to this state
        return new AgentException(ErrorCode.PEER_OFFLINE, what + ": not connected to the agent at " + address()
                + " (" + (state == ConnectionState.CONNECTED ? "its connection is closing" : state) + ")");
    }

    /**
     * Why a frame did not leave: the client was closed (the application's doing: the agent may be
     * well), or the connection is gone, or the frame was too large ({@link Failures#ofWrite}).
     */
    AgentException notWritten(String what, Throwable cause) {
        if (closed && !Failures.isTooLarge(cause)) {
            return new AgentException(ErrorCode.PEER_OFFLINE, what + ": " + CLOSED_BY_THE_APPLICATION, cause);
        }
        return Failures.ofWrite(what, cause, address);
    }

    /** Why the calls still waiting end when the connection does. */
    String whyEnded(Throwable lost) {
        return closed ? CLOSED_BY_THE_APPLICATION : "the connection to the agent at " + address + " was lost"
                + (lost == null ? "" : " (" + Failures.describe(lost) + ")");
    }

    /**
     * A wait on the I/O thread (a handler or listener that promised not to block, run there) for
     * what only that thread can read: it would wait out its timeout, answering no PING meanwhile.
     * Refused at once, as Netty's await() is on an event loop.
     */
    IllegalStateException wouldBlock(String what, String instead) {
        return new IllegalStateException(what + ": would block the client's I/O thread, which reads the answer"
                + " (a handler or listener on the I/O thread must not block); use " + instead);
    }

    /** Sends a call nobody waits for: a failure other than a lost connection goes to onError. */
    void callQuietly(Session session, Message frame, String what) {
        session.call(frame, what, options.connectTimeout().toNanos()).whenComplete((reply, failure) -> {
            if (reply != null) {
                reply.release();
            } else if (Failures.unwrap(failure) instanceof AgentException e && e.code() != ErrorCode.PEER_OFFLINE) {
                events.error(e);
            }
        });
    }

    /** Sequences of REQUEST, NOTIFY, PUBLISH, SUBSCRIBE, UNSUBSCRIBE and PING; never 0 (closing ERRORs carry 0). */
    long nextSequence() {
        return sequences.incrementAndGet();
    }

    int id() {
        return grantedId;
    }

    String name() {
        return grantedName;
    }

    /** The connection's HELLO is sent and waits for the agent's answer. */
    void helloSent() {
        helloUnanswered = true;
    }

    /**
     * Whether a connection is open whose HELLO nothing answered: the address accepts connections,
     * but what listens there may be no agent (another service's port, as the echo endpoint's).
     */
    boolean helloUnanswered() {
        return helloUnanswered;
    }

    /** Why the last attempt failed, or null. */
    Throwable lastFailure() {
        return lastFailure;
    }

    /** The agent's address for people: {@code host:port} as given (looked up at each attempt), or the socket's path. */
    String address() {
        return address;
    }

    static String describe(SocketAddress agent) {
        if (agent instanceof InetSocketAddress tcp) {
            String host = tcp.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + tcp.getPort();
        }
        return agent instanceof UnixDomainSocketAddress unix ? unix.getPath().toString() : String.valueOf(agent);
    }

    ClientOptions options() {
        return options;
    }

    EventLoop loop() {
        return loop;
    }

    ClientEvents events() {
        return events;
    }

    Inbound inbound() {
        return inbound;
    }

    Subscriptions subscriptions() {
        return subscriptions;
    }
}
