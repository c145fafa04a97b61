package io.msf.net.internal;

import io.msf.event.api.BoundEventLoopService;
import io.msf.event.api.EventLoopService;
import io.msf.net.api.ChannelSetup;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointSpec;
import io.msf.text.ControlCharacters;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.osgi.service.log.Logger;

/**
 * Binds and connects endpoints for one owner: on the I/O group, with the channel classes of its
 * transport, allocating from the owner's account in the memory pool.
 */
final class EndpointOpener {

    /** The largest maxFrameBytes accepted: 64 MiB. */
    static final int MAX_FRAME_BYTES_LIMIT = 64 << 20;
    /** A datagram cannot be larger than this; a bigger receive buffer would be waste. */
    private static final int MAX_DATAGRAM_BYTES = 65_535;
    /** How long open() waits for a bind. */
    private static final long OPEN_WAIT_MILLIS = 10_000;
    /**
     * How much longer than the endpoint's connect or TLS handshake timeout open() waits for a connect
     * or a handshake, so that the timeout reports first, with its reason.
     */
    private static final long TIMEOUT_GRACE_MILLIS = 5000;

    /**
     * The target of the event-loop references of the components that open endpoints: the view of the io
     * group alone, the only group they use, so that a change of the worker threads leaves them running
     * and their connections open.
     */
    static final String IO_LOOPS = "(" + BoundEventLoopService.GROUP + "=" + EventLoopService.IO_GROUP + ")";

    private final String owner;
    private final String origin;
    private final EventLoopService loops;
    private final ByteBufAllocator allocator;
    private final DomainSocketFiles socketFiles;
    private final long stallMillis;
    private final long socketWatchMillis;
    private final Logger log;

    /**
     * @param owner symbolic name of the bundle that owns the endpoints
     * @param origin where the endpoints are declared, for log lines (a configuration PID), or empty
     */
    EndpointOpener(String owner, String origin, EventLoopService loops, ByteBufAllocator allocator,
            DomainSocketFiles socketFiles, Logger log) {
        this(owner, origin, loops, allocator, socketFiles, InputShutdownCloser.STALL_MILLIS, log);
    }

    /**
     * @param stallMillis how long a connection whose peer shut down its output may send none of what waits
     *     for that peer before it is closed ({@link InputShutdownCloser})
     */
    EndpointOpener(String owner, String origin, EventLoopService loops, ByteBufAllocator allocator,
            DomainSocketFiles socketFiles, long stallMillis, Logger log) {
        this(owner, origin, loops, allocator, socketFiles, stallMillis, SocketNameWatch.PERIOD_MILLIS, log);
    }

    /**
     * @param socketWatchMillis how often a Unix-socket server looks at its file's name ({@link SocketNameWatch})
     */
    EndpointOpener(String owner, String origin, EventLoopService loops, ByteBufAllocator allocator,
            DomainSocketFiles socketFiles, long stallMillis, long socketWatchMillis, Logger log) {
        this.owner = owner;
        this.stallMillis = stallMillis;
        this.socketWatchMillis = socketWatchMillis;
        this.origin = origin;
        this.loops = loops;
        this.allocator = allocator;
        this.socketFiles = socketFiles;
        this.log = log;
    }

    /**
     * Opens the endpoint and waits until it is bound or connected.
     *
     * @param onClose run once when the endpoint is closed
     * @throws UncheckedIOException naming the endpoint and the address if that fails
     */
    NetEndpoint open(EndpointSpec spec, ChannelSetup setup, Consumer<NetEndpoint> onClose) {
        return open(spec, setup, onClose, null);
    }

    /**
     * Opens the endpoint as {@link #open(EndpointSpec, ChannelSetup, Consumer)}; a server that takes the
     * place of {@code keeping} (a server whose socket is closed, or is about to be) keeps its connections
     * and its figures: they count toward the new server's connection limit and are closed with it.
     *
     * @param keeping a server whose connections the new one, a server too, takes over; or null
     */
    NetEndpoint open(EndpointSpec spec, ChannelSetup setup, Consumer<NetEndpoint> onClose, NetEndpoint keeping) {
        return open(spec, setup, onClose, keeping, true);
    }

    /**
     * Opens the endpoint as {@link #open(EndpointSpec, ChannelSetup, Consumer, NetEndpoint)}.
     *
     * @param announce whether a server or UDP socket says where it listens in an INFO line; else at DEBUG,
     *     for a caller whose own INFO line says it, with what only that caller knows
     */
    NetEndpoint open(EndpointSpec spec, ChannelSetup setup, Consumer<NetEndpoint> onClose, NetEndpoint keeping,
            boolean announce) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(setup, "setup");
        checkFrameLimit(spec);
        String label = label(spec);
        EventLoopGroup io = loops.group(EventLoopService.IO_GROUP);
        ChannelTypes types = ChannelTypes.of(loops.transport());
        EndpointCounters counters = keeping != null ? keeping.counters() : new EndpointCounters();
        switch (spec.transport()) {
            case TCP_SERVER:
            case UDS_SERVER:
                return server(label, spec, setup, io, types, counters, keeping != null ? keeping.gate() : null, onClose,
                        announce);
            case UDP:
                return udp(label, spec, setup, io, types, counters, onClose, announce);
            default:
                return client(label, spec, setup, io, types, counters, onClose);
        }
    }

    /** @throws IllegalArgumentException if the spec's maxFrameBytes is over {@link #MAX_FRAME_BYTES_LIMIT} */
    static void checkFrameLimit(EndpointSpec spec) {
        if (spec.maxFrameBytes() > MAX_FRAME_BYTES_LIMIT) {
            throw new IllegalArgumentException("endpoint " + spec.name() + ": maxFrameBytes " + spec.maxFrameBytes()
                    + " is larger than the limit of " + MAX_FRAME_BYTES_LIMIT + " (64 MiB)");
        }
    }

    /**
     * @throws IllegalArgumentException naming the endpoint, if its Unix socket path can never be used
     *     ({@link DomainSocketFiles#checkPath})
     */
    void checkSocketPath(EndpointSpec spec) {
        socketFiles.checkPath(spec);
    }

    /**
     * Refuses to open, waiting, on one of the io loops (a handler's thread): the wait would hold that loop,
     * every connection on it, for as long as the bind or connect takes, and if the new channel was given that
     * very loop Netty refused the wait (a BlockingOperationException) and the channel was left open.
     *
     * @throws IllegalStateException naming the endpoint, if called on an io loop
     */
    void checkNotOnALoop(EndpointSpec spec) {
        if (LoopThreads.onOneOf(loops.group(EventLoopService.IO_GROUP))) {
            throw new IllegalStateException(label(spec) + ": cannot be opened on an event loop ("
                    + Thread.currentThread().getName() + "): open() waits for the bind or connect, which runs on"
                    + " those loops; open it from another thread, or, for a client, with a Reconnect"
                    + " (EndpointSpec.withReconnect), which connects in the background");
        }
    }

    /** The loop a client that keeps (re)connecting lives on: its attempts, its channels, its state. */
    EventLoop nextLoop() {
        return loops.group(EventLoopService.IO_GROUP).next();
    }

    /**
     * What one attempt of a client connects with: its address, the host looked up, and its pipeline, the
     * TLS stores read. Made by {@link #prepare}, where blocking is allowed.
     */
    record ClientAttempt(EndpointSpec spec, SocketAddress address, EndpointPipeline pipeline) { }

    /**
     * Makes what an attempt of a client connects with. Looking the host up and reading the TLS stores may
     * block (a DNS server gone, a store on a hung network mount): call it on a thread that may wait, never on
     * an io loop, which every connection on it would wait with.
     *
     * @param counters the figures to add to; a client that connects again keeps counting in the same
     * @throws RuntimeException naming the endpoint: a host that cannot be looked up, a store that cannot be used
     */
    ClientAttempt prepare(EndpointSpec spec, ChannelSetup setup, EndpointCounters counters) {
        String label = label(spec);
        SocketAddress address = clientAddress(label, spec, ChannelTypes.of(loops.transport()));
        // Reads the TLS stores anew: one being replaced fails this attempt, and the next tries again.
        return new ClientAttempt(spec, address, new EndpointPipeline(new EndpointLabel(label), spec, setup, counters,
                null, stallMillis, log));
    }

    /**
     * Connects a client on {@code loop} without waiting, nor doing anything that may block: the returned
     * future, whose listeners run on that loop, completes once the client is connected (and, with TLS, the
     * server verified), or fails naming the endpoint and the peer. Cancelling it closes the channel being
     * connected.
     *
     * @param attempt what {@link #prepare} made for this attempt
     * @param onClose run once when the endpoint is closed
     */
    Future<NetEndpoint> connect(ClientAttempt attempt, EventLoop loop, EndpointCounters counters,
            Consumer<NetEndpoint> onClose) {
        EndpointSpec spec = attempt.spec();
        String label = label(spec);
        Promise<NetEndpoint> connected = loop.newPromise();
        EndpointPipeline pipeline = attempt.pipeline();
        String where = Peers.format(attempt.address());
        ChannelFuture connecting = clientBootstrap(spec, loop, ChannelTypes.of(loops.transport()), pipeline)
                .connect(attempt.address());
        Channel channel = connecting.channel();
        connected.addListener(done -> {
            if (!done.isSuccess()) {
                channel.close();
            }
        });
        connecting.addListener((ChannelFuture connect) -> {
            if (!connect.isSuccess()) {
                connected.tryFailure(failure(label + ": cannot connect to " + where + ": "
                        + reason(channel, connect.cause()), connect.cause()));
                return;
            }
            SslHandler tls = channel.attr(EndpointPipeline.TLS_HANDLER).get();
            if (tls == null) {
                opened(connected, new NetEndpoint(owner, where, channel, pipeline, counters, null, null, onClose));
                return;
            }
            tls.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    opened(connected, new NetEndpoint(owner, where, channel, pipeline, counters, null, null, onClose));
                } else {
                    connected.tryFailure(failure(label + ": TLS handshake with " + where + " failed: "
                            + TlsFailures.reason(handshake.cause()), handshake.cause()));
                }
            });
        });
        return connected;
    }

    /**
     * How log lines name an endpoint: by name, owner and, for configured ones, configuration. The name is the
     * configuration's text, and a line feed in it split the line it is in: control characters are escaped.
     */
    String label(EndpointSpec spec) {
        return ControlCharacters.escapedOnOneLine("endpoint '" + spec.name() + "' of " + owner
                + (origin.isEmpty() ? "" : " (" + origin + ")"));
    }

    /** @param kept the gate of the server whose connections this one takes over, or null */
    private NetEndpoint server(String label, EndpointSpec spec, ChannelSetup setup, EventLoopGroup io,
            ChannelTypes types, EndpointCounters counters, ConnectionGate kept, Consumer<NetEndpoint> onClose,
            boolean announce) {
        boolean uds = spec.transport().isDomainSocket();
        Path socket = uds ? socketFiles.resolve(label, spec.path()) : null;
        // One label for the connections kept and the ones to come: it takes this spec's name once this is bound.
        EndpointLabel named = kept != null ? kept.label() : new EndpointLabel(label);
        ConnectionGate gate = kept != null ? kept : new ConnectionGate(named, counters, io.next(), log);
        EndpointPipeline pipeline = new EndpointPipeline(named, spec, setup, counters, gate, stallMillis, log);
        ServerBootstrap bootstrap = new ServerBootstrap().group(io)
                .option(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childHandler(pipeline);
        if (types.halfClosure(uds)) {
            // A peer that shuts down its output still gets its answers: InputShutdownCloser closes then.
            bootstrap.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        }
        if (!uds) {
            bootstrap.channel(types.tcpServer);
            // Rebinding a port right after closing it must not fail on connections in TIME_WAIT.
            bootstrap.option(ChannelOption.SO_REUSEADDR, true);
        }
        Channel channel;
        PublishedSocket published = null;
        if (uds) {
            // Its connections' own local address may name the private folder it is bound in (DomainSocketBind).
            bootstrap.attr(Endpoint.PUBLISHED_ADDRESS, types.domainAddress(socket));
            BoundSocket bound;
            try {
                bound = bindDomainSocket(label, bootstrap, types, socket);
            } catch (UncheckedIOException e) {
                throw OpenFailure.of(label, e);
            }
            channel = bound.channel();
            published = bound.published();
        } else {
            SocketAddress address = lookedUp(label, "bind", spec);
            channel = await(label, "bind", address, bootstrap.bind(address));
        }
        named.set(label);
        String where = uds ? ControlCharacters.escapedOnOneLine(socket.toString())
                : Peers.format(channel.localAddress());
        String format = "{}: {} listening on {}{}";
        String tls = spec.tls() == null ? "" : " over TLS";
        if (announce) {
            log.info(format, label, spec.transport(), where, tls);
        } else {
            log.debug(format, label, spec.transport(), where, tls);
        }
        warnIfBeyondLoopback(label, spec, channel, "connect to it");
        AcceptFailureHandler.addTo(channel, named, counters, where, log);
        NetEndpoint endpoint = new NetEndpoint(owner, where, channel, pipeline, counters, gate, published, onClose);
        endpoint.watchSocketName(named, socketWatchMillis, log);
        return endpoint;
    }

    /**
     * Tells, at each bind, that a configured endpoint bound beyond loopback ({@code host = 0.0.0.0}, or an
     * interface's address) can be reached from other hosts: the agent asks a token for that, the monitor
     * {@code allowRemote}, and an endpoint said nothing, though its handler (echo, say) serves whoever comes.
     * Code that opens endpoints itself (no {@link #origin}) has its own policy, the agent its token.
     */
    private void warnIfBeyondLoopback(String label, EndpointSpec spec, Channel channel, String whatOthersCan) {
        if (origin.isEmpty() || !(channel.localAddress() instanceof InetSocketAddress)) {
            return;
        }
        InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
        if (bound.getAddress() == null || bound.getAddress().isLoopbackAddress()) {
            return;
        }
        log.warn("{}: listens on {}, beyond loopback: other hosts can {} (host = {}); host = 127.0.0.1 keeps it to"
                + " this machine", label, Peers.format(bound), whatOthersCan,
                ControlCharacters.escapedOnOneLine(spec.host()));
    }

    /** A Unix-socket server's channel, and the socket file it published. */
    private record BoundSocket(Channel channel, PublishedSocket published) { }

    /**
     * Binds a Unix-socket server that only its owner can connect to from the first moment: bound in
     * place or in a private folder, as {@link DomainSocketBind} says, then published owner-only.
     */
    private BoundSocket bindDomainSocket(String label, ServerBootstrap bootstrap, ChannelTypes types, Path socket) {
        try (DomainSocketBind bind = socketFiles.bind(label, socket, types.removesBoundPath())) {
            Channel channel;
            try {
                ChannelFuture binding;
                try {
                    binding = types.bindDomainServer(bootstrap, bind.path());
                } catch (IOException e) {
                    throw new OpenFailure(label, "cannot bind " + Peers.format(types.domainAddress(socket)) + ": "
                            + e.getMessage(), e);
                }
                try {
                    channel = await(label, "bind", types.domainAddress(socket), binding);
                } catch (UncheckedIOException e) {
                    // Closed by await: a bind that would still come must not fill the private folder once it is removed.
                    binding.channel().closeFuture().awaitUninterruptibly(OPEN_WAIT_MILLIS);
                    throw e;
                }
            } catch (UncheckedIOException e) {
                throw bind.path().equals(socket) ? e : new OpenFailure(label, OpenFailure.reasonOf(e) + " (bound first as "
                        + bind.path() + ", to be owner-only before it has its name)", e.getCause());
            }
            try {
                bind.publish();
            } catch (IOException e) {
                channel.close().awaitUninterruptibly(OPEN_WAIT_MILLIS);
                throw new UncheckedIOException(e.getMessage(), e);
            }
            return new BoundSocket(channel, bind.published());
        }
    }

    private NetEndpoint client(String label, EndpointSpec spec, ChannelSetup setup, EventLoopGroup io,
            ChannelTypes types, EndpointCounters counters, Consumer<NetEndpoint> onClose) {
        SocketAddress address = clientAddress(label, spec, types);
        EndpointPipeline pipeline = new EndpointPipeline(new EndpointLabel(label), spec, setup, counters, null,
                stallMillis, log);
        ChannelFuture connecting = clientBootstrap(spec, io, types, pipeline).connect(address);
        Channel channel = await(label, "connect to", address, connecting,
                spec.connectTimeoutMillis() + TIMEOUT_GRACE_MILLIS);
        String where = Peers.format(address);
        // Not looked up in the pipeline: a handshake that failed since the connect may have emptied it.
        SslHandler tls = channel.attr(EndpointPipeline.TLS_HANDLER).get();
        if (tls != null) {
            awaitHandshake(label, where, channel, tls.handshakeFuture(),
                    spec.tlsHandshakeTimeoutMillis() + TIMEOUT_GRACE_MILLIS);
        }
        log.info("{}: {} connected to {}{}", label, spec.transport(), where, tls == null ? "" : " over TLS");
        return new NetEndpoint(owner, where, channel, pipeline, counters, null, null, onClose);
    }

    /** Where a client connects, its host looked up here, by the caller ({@link #lookedUp}). */
    private SocketAddress clientAddress(String label, EndpointSpec spec, ChannelTypes types) {
        return spec.transport().isDomainSocket() ? types.domainAddress(socketFiles.resolve(label, spec.path()))
                : lookedUp(label, "connect to", spec);
    }

    /**
     * The host and port of {@code spec}, the host looked up here, by the caller: given a host it could not look
     * up, a bind failed with an UnresolvedAddressException, which says nothing, and a connect had Netty look it
     * up again, on the io loop.
     *
     * @throws OpenFailure naming the endpoint and the host, if it cannot be looked up
     */
    private static InetSocketAddress lookedUp(String label, String action, EndpointSpec spec) {
        InetSocketAddress address = new InetSocketAddress(spec.host(), spec.port());
        if (address.isUnresolved()) {
            throw new OpenFailure(label, "cannot " + action + " " + ControlCharacters.escapedOnOneLine(spec.address())
                    + ": its host cannot be looked up",
                    new UnknownHostException(spec.host()));
        }
        return address;
    }

    private Bootstrap clientBootstrap(EndpointSpec spec, EventLoopGroup io, ChannelTypes types,
            EndpointPipeline pipeline) {
        boolean uds = spec.transport().isDomainSocket();
        Bootstrap bootstrap = new Bootstrap().group(io).channel(uds ? types.udsClient : types.tcpClient)
                .option(ChannelOption.ALLOCATOR, allocator)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, spec.connectTimeoutMillis())
                .handler(pipeline);
        return types.halfClosure(uds) ? bootstrap.option(ChannelOption.ALLOW_HALF_CLOSURE, true) : bootstrap;
    }

    /** A client connected after its attempt was called off (the endpoint closed meanwhile) is closed. */
    private static void opened(Promise<NetEndpoint> connected, NetEndpoint endpoint) {
        if (!connected.trySuccess(endpoint)) {
            endpoint.close();
        }
    }

    /** Why a bind or connect failed: the owner's setup, if that closed the channel, else the cause. */
    private static String reason(Channel channel, Throwable cause) {
        String setupFailure = channel.attr(EndpointPipeline.SETUP_FAILURE).get();
        if (setupFailure != null) {
            return setupFailure;
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    private static UncheckedIOException failure(String message, Throwable cause) {
        return new UncheckedIOException(message, cause instanceof IOException ? (IOException) cause
                : new IOException(message, cause));
    }

    private NetEndpoint udp(String label, EndpointSpec spec, ChannelSetup setup, EventLoopGroup io,
            ChannelTypes types, EndpointCounters counters, Consumer<NetEndpoint> onClose, boolean announce) {
        SocketAddress address = lookedUp(label, "bind", spec);
        EndpointPipeline pipeline = new EndpointPipeline(new EndpointLabel(label), spec, setup, counters, null,
                stallMillis, log);
        Bootstrap bootstrap = new Bootstrap().group(io).channel(types.udp)
                .option(ChannelOption.ALLOCATOR, allocator)
                // One buffer per datagram, one byte larger than the largest accepted: the kernel cuts a
                // datagram to the buffer, so one that fills it was too large and DatagramSizeLimit drops it.
                .option(ChannelOption.RCVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(Math.min(spec.maxFrameBytes() + 1, MAX_DATAGRAM_BYTES)))
                .handler(pipeline);
        Channel channel = await(label, "bind", address, bootstrap.bind(address));
        String where = Peers.format(channel.localAddress());
        if (announce) {
            log.info("{}: UDP bound to {}", label, where);
        } else {
            log.debug("{}: UDP bound to {}", label, where);
        }
        warnIfBeyondLoopback(label, spec, channel, "send to it");
        return new NetEndpoint(owner, where, channel, pipeline, counters, null, null, onClose);
    }

    /** A TLS client is open once the server is verified: a failure then is the caller's to hear. */
    private static void awaitHandshake(String label, String where, Channel channel, Future<Channel> handshake,
            long waitMillis) {
        String problem = null;
        if (!handshake.awaitUninterruptibly(waitMillis, TimeUnit.MILLISECONDS)) {
            problem = "did not finish within " + waitMillis + " ms";
        } else if (!handshake.isSuccess()) {
            problem = "failed: " + TlsFailures.reason(handshake.cause());
        }
        if (problem != null) {
            channel.close().awaitUninterruptibly(OPEN_WAIT_MILLIS);
            String message = label + ": TLS handshake with " + where + " " + problem;
            throw new UncheckedIOException(message, new IOException(message, handshake.cause()));
        }
    }

    private static Channel await(String label, String action, SocketAddress address, ChannelFuture future) {
        return await(label, action, address, future, OPEN_WAIT_MILLIS);
    }

    private static Channel await(String label, String action, SocketAddress address, ChannelFuture future,
            long waitMillis) {
        if (!future.awaitUninterruptibly(waitMillis, TimeUnit.MILLISECONDS)) {
            future.channel().close();
            String reason = action + " " + Peers.format(address) + " did not finish within " + waitMillis + " ms";
            throw new OpenFailure(label, reason, new IOException(label + ": " + reason));
        }
        if (!future.isSuccess()) {
            future.channel().close();
            Throwable cause = future.cause();
            throw new OpenFailure(label, "cannot " + action + " " + Peers.format(address) + ": "
                    + reason(future.channel(), cause), cause instanceof IOException ? (IOException) cause
                            : new IOException(cause));
        }
        return future.channel();
    }
}
