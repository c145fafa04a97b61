package io.msf.net.internal;

import io.msf.net.api.ChannelSetup;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.Framing;
import io.msf.net.api.NetTransport;
import io.msf.text.ControlCharacters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Ticker;
import org.osgi.service.log.Logger;

/**
 * Builds an endpoint's pipeline on each new channel:
 *
 * <pre>
 * [msf-epoll-registration] - [msf-tls - msf-tls-failures] - [msf-idle] - msf-bytes (count) - [msf-frame-decoder - msf-frame-encoder] - msf-frames (count)
 *     - the owner's handlers - [msf-input-shutdown] - msf-errors
 * </pre>
 *
 * <p>The TLS handlers go in after the owner's, at the very head: whatever the owner put first
 * (a flush consolidator, say) then sees plain messages, and TLS encrypts what it lets through.
 *
 * <p>A stream's {@code msf-input-shutdown} closes a connection whose peer has shut down its output
 * once the answers written to it have gone out, or once none of them went out for a while
 * ({@link InputShutdownCloser}).
 *
 * <p>An epoll stream connection has {@code msf-epoll-registration} at the very head until the end of its
 * input: it keeps the connection in the epoll set, so that an answer written after that is not cut
 * ({@link EpollRegistrationKeeper}).
 *
 * <p>A UDP endpoint has {@code msf-datagram-size} in place of the framing handlers. A stream without
 * framing has no {@code msf-frames}: {@code msf-bytes} counts its chunks, the same messages.
 *
 * <p>A server's settings can be replaced while it runs; connections accepted afterwards get the
 * new ones, open connections keep theirs. The connection limit is read as each connection is
 * accepted, so a new one holds from the next connection on.
 */
final class EndpointPipeline extends ChannelInitializer<Channel> {

    /**
     * Why the owner's setup refused a channel: a client's connect or a UDP socket's bind then fails
     * only with a ClosedChannelException, which has no message.
     */
    static final AttributeKey<String> SETUP_FAILURE = AttributeKey.valueOf("msf.setupFailure");
    /**
     * A TLS connection's handler, for a client's opener to wait for its handshake: by the time the opener sees
     * the connect done, a handshake that failed meanwhile may have closed the connection, and a closed
     * connection's pipeline is emptied, so the pipeline no longer has the handler (nor its failure).
     */
    static final AttributeKey<SslHandler> TLS_HANDLER = AttributeKey.valueOf("msf.tlsHandler");

    private final EndpointLabel endpoint;
    private final EndpointCounters counters;
    private final ConnectionGate gate;
    private final Logger log;
    private final ByteCounter bytes;
    private final ByteCounter bytesAndChunks;
    private final FrameCounter frames;
    private final PeerFailureLog tlsFailures;
    /** These outlive the settings: new ones must not make every peer worth a WARN again. */
    private final PeerFailureLog connectionErrors;
    private final PeerFailureLog datagramErrors;
    private final InputShutdownCloser inputShutdown;
    private final EpollRegistrationKeeper epollRegistration;
    private volatile Settings settings;

    private static final class Settings {
        final EndpointSpec spec;
        final ChannelSetup setup;
        final EndpointErrorHandler errors;
        final SslContext tls;
        /** The stores as they were when {@link #tls} was read from them; null without TLS. */
        final TlsStoreStamp stores;

        Settings(EndpointSpec spec, ChannelSetup setup, EndpointErrorHandler errors, SslContext tls,
                TlsStoreStamp stores) {
            this.spec = spec;
            this.setup = setup;
            this.errors = errors;
            this.tls = tls;
            this.stores = stores;
        }
    }

    /**
     * @param gate admits a server's connections; null for channels that are not accepted (clients, UDP)
     */
    EndpointPipeline(EndpointLabel endpoint, EndpointSpec spec, ChannelSetup setup, EndpointCounters counters,
            ConnectionGate gate, Logger log) {
        this(endpoint, spec, setup, counters, gate, InputShutdownCloser.STALL_MILLIS, log);
    }

    /**
     * @param stallMillis how long a connection whose input has ended may send none of what waits for its
     *     peer before it is closed ({@link InputShutdownCloser})
     */
    EndpointPipeline(EndpointLabel endpoint, EndpointSpec spec, ChannelSetup setup, EndpointCounters counters,
            ConnectionGate gate, long stallMillis, Logger log) {
        this.endpoint = endpoint;
        this.counters = counters;
        this.gate = gate;
        this.log = log;
        this.bytes = new ByteCounter(counters, false);
        this.bytesAndChunks = new ByteCounter(counters, true);
        this.frames = new FrameCounter(counters);
        this.tlsFailures = PeerFailureLog.tlsHandshakes(endpoint, log, Ticker.systemTicker());
        this.connectionErrors = PeerFailureLog.connectionErrors(endpoint, log, Ticker.systemTicker());
        this.datagramErrors = PeerFailureLog.datagramErrors(endpoint, log, Ticker.systemTicker());
        this.inputShutdown = new InputShutdownCloser(endpoint, stallMillis, log);
        this.epollRegistration = new EpollRegistrationKeeper(log);
        update(spec, setup);
    }

    /**
     * Takes new settings, reading the TLS key material anew.
     *
     * @throws IllegalArgumentException if a key or trust store cannot be used; the settings stay
     */
    synchronized void update(EndpointSpec spec, ChannelSetup setup) {
        // Taken before the stores are read: one replaced meanwhile differs from it and is read again.
        TlsStoreStamp stores = spec.tls() == null ? null : TlsStoreStamp.of(spec.tls());
        SslContext tls;
        try {
            tls = TlsContexts.of(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(endpoint.get() + ": " + e.getMessage(), e);
        }
        settings = new Settings(spec, setup, new EndpointErrorHandler(spec.maxFrameBytes(), counters, connectionErrors,
                datagramErrors), tls, stores);
    }

    /** How the TLS stores looked when the key material in force was read from them; null without TLS. */
    TlsStoreStamp tlsStores() {
        return settings.stores;
    }

    /**
     * Gives the connections accepted from now on a TLS context read again from the stores of {@code spec}, the
     * settings in force, everything else staying; open connections keep theirs.
     *
     * @param stores how the stores looked before they were read
     * @return false if the settings are no longer {@code spec}'s (a change came in between): nothing taken
     */
    synchronized boolean reloadTls(EndpointSpec spec, SslContext tls, TlsStoreStamp stores) {
        Settings current = settings;
        if (!current.spec.equals(spec) || current.tls == null) {
            return false;
        }
        settings = new Settings(current.spec, current.setup, current.errors, tls, stores);
        return true;
    }

    /** Takes a new connection limit, keeping everything else (the TLS key material is not read again). */
    synchronized void limitConnections(int maxConnections) {
        Settings current = settings;
        settings = new Settings(current.spec.withMaxConnections(maxConnections), current.setup, current.errors,
                current.tls, current.stores);
    }

    EndpointSpec spec() {
        return settings.spec;
    }

    /** How the lines of this pipeline's channels name the endpoint. */
    EndpointLabel label() {
        return endpoint;
    }

    @Override
    protected void initChannel(Channel channel) {
        Peers.remember(channel);
        Settings current = settings;
        if (gate != null && !gate.admit(channel, current.spec.maxConnections())) {
            return;
        }
        ChannelPipeline pipeline = channel.pipeline();
        boolean unframedStream = current.spec.transport() != NetTransport.UDP
                && current.spec.framing() != Framing.LENGTH_FIELD;
        if (current.spec.transport() != NetTransport.UDP && current.spec.idleTimeoutMillis() > 0) {
            pipeline.addLast("msf-idle", new IdleConnectionCloser(endpoint, current.spec.idleTimeoutMillis(), log));
        }
        pipeline.addLast("msf-bytes", unframedStream ? bytesAndChunks : bytes);
        if (current.spec.transport() == NetTransport.UDP) {
            pipeline.addLast("msf-datagram-size",
                    new DatagramSizeLimit(current.spec.maxFrameBytes(), counters, datagramErrors));
        } else if (current.spec.framing() == Framing.LENGTH_FIELD) {
            int fieldBytes = current.spec.lengthFieldBytes();
            pipeline.addLast("msf-frame-decoder", new BoundedFrameDecoder(current.spec.maxFrameBytes(), fieldBytes));
            pipeline.addLast("msf-frame-encoder", new LengthFieldPrepender(fieldBytes));
        }
        if (!unframedStream) {
            pipeline.addLast("msf-frames", frames);
        }
        try {
            current.setup.initChannel(channel, current.spec);
        } catch (Exception | LinkageError e) {
            String problem = "handler setup failed: " + e;
            counters.error(problem);
            channel.attr(SETUP_FAILURE).set(problem);
            setupFailed(channel, current.spec, problem, e);
            channel.close();
            return;
        }
        if (current.tls != null) {
            // A client names the host it connects to: for SNI, and for the hostname verification.
            SslHandler tls = current.spec.transport().isServer() ? current.tls.newHandler(channel.alloc())
                    : current.tls.newHandler(channel.alloc(), current.spec.host(), current.spec.port());
            tls.setHandshakeTimeoutMillis(current.spec.tlsHandshakeTimeoutMillis());
            channel.attr(TLS_HANDLER).set(tls);
            pipeline.addFirst("msf-tls", tls);
            pipeline.addAfter("msf-tls", "msf-tls-failures", new TlsFailures(counters, tlsFailures));
        }
        if (current.spec.transport() != NetTransport.UDP) {
            pipeline.addLast("msf-input-shutdown", inputShutdown);
        }
        pipeline.addLast("msf-errors", current.errors);
        if (EpollRegistrationKeeper.needed(channel)) {
            pipeline.addFirst("msf-epoll-registration", epollRegistration);
        }
    }

    /**
     * Logs a failed handler setup, with its stack trace the first time for the endpoint. Later
     * failures are one line: bounded as other connection errors for a server's connections; DEBUG
     * for a client's attempts, whose failure its connect reports.
     */
    private void setupFailed(Channel channel, EndpointSpec spec, String problem, Throwable e) {
        boolean udp = channel instanceof DatagramChannel;
        // A client's channel is not connected yet: it is named by the server it connects to.
        String what = udp ? "its UDP socket" : spec.transport().isServer() ? "the connection from " + Peers.peer(channel)
                : "the connection to " + ControlCharacters.escapedOnOneLine(spec.address());
        if (counters.setupFailureTraced.compareAndSet(false, true)) {
            log.warn("{}: closing {}: {}", endpoint.get(), what, problem, e);
        } else if (udp) {
            log.warn("{}: closing {}: {}", endpoint.get(), what, problem);
        } else if (spec.transport().isServer()) {
            connectionErrors.failed(Peers.host(channel), Peers.peer(channel), problem, channel.eventLoop());
        } else {
            log.debug("{}: closing {}: {}", endpoint.get(), what, problem);
        }
    }
}
