package io.msf.net.internal;

import io.msf.net.api.ChannelSetup;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.EndpointSpec;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.net.SocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.osgi.service.log.Logger;

/** An open endpoint: its channel, the connections a server accepted, and its figures. */
final class NetEndpoint implements Endpoint {

    /**
     * How long close(), off the loops, waits for the channels to close: its caller may then bind the address
     * again, and a socket file is not removed under them.
     */
    private static final long CLOSE_WAIT_MILLIS = 5000;

    private final String owner;
    private final String address;
    private final Channel channel;
    private final EndpointPipeline pipeline;
    private final EndpointCounters counters;
    private final ConnectionGate gate;
    private final PublishedSocket socketFile;
    /** Looks after the socket file's name ({@link #watchSocketName}); null until then, and without a file. */
    private volatile ScheduledFuture<?> socketWatch;
    private final Consumer<NetEndpoint> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param address what was bound (servers, UDP: with the actual port) or connected to (clients)
     * @param gate a server's accepted connections, null otherwise
     * @param socketFile the socket file a Unix-socket server published, null otherwise
     * @param onClose run once when the endpoint is closed (unregisters it)
     */
    NetEndpoint(String owner, String address, Channel channel, EndpointPipeline pipeline, EndpointCounters counters,
            ConnectionGate gate, PublishedSocket socketFile, Consumer<NetEndpoint> onClose) {
        this.owner = owner;
        this.address = address;
        this.channel = channel;
        this.pipeline = pipeline;
        this.counters = counters;
        this.gate = gate;
        this.socketFile = socketFile;
        this.onClose = onClose;
    }

    /**
     * Gives a Unix-socket server's file its name back when it is deleted while the server listens
     * ({@link SocketNameWatch}, every {@code periodMillis}), from now until the endpoint closes.
     */
    void watchSocketName(EndpointLabel label, long periodMillis, Logger log) {
        if (socketFile != null) {
            socketWatch = channel.eventLoop().scheduleWithFixedDelay(
                    new SocketNameWatch(label, socketFile, () -> !closed.get() && channel.isOpen(), log),
                    periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public EndpointSpec spec() {
        return pipeline.spec();
    }

    /**
     * Connections a server accepts from now on get these settings; open ones keep theirs. The lines logged
     * for all of them, and for its socket, name it by {@code label} from now on (a rename keeps the socket).
     */
    void update(EndpointSpec spec, ChannelSetup setup, String label) {
        int previousLimit = pipeline.spec().maxConnections();
        pipeline.update(spec, setup);
        pipeline.label().set(label);
        if (gate != null && spec.maxConnections() != previousLimit) {
            gate.limitChanged();
        }
    }

    @Override
    public void limitConnections(int maxConnections) {
        if (gate == null) {
            throw new IllegalStateException("endpoint '" + spec().name() + "' is a " + spec().transport()
                    + ": only a server has a connection limit");
        }
        pipeline.limitConnections(maxConnections);
        gate.limitChanged();
    }

    @Override
    public SocketAddress localAddress() {
        // A socket bound in a private folder and then linked under its name keeps telling the first path.
        SocketAddress published = channel.attr(PUBLISHED_ADDRESS).get();
        return published != null ? published : channel.localAddress();
    }

    @Override
    public Channel channel() {
        return channel;
    }

    /** Whether this is a server whose connections another may take over ({@link #closeSocket}). */
    boolean keepsConnections() {
        return gate != null;
    }

    /** What makes its channels' pipelines, with the settings (and TLS key material) they are made with. */
    EndpointPipeline pipeline() {
        return pipeline;
    }

    EndpointCounters counters() {
        return counters;
    }

    ConnectionGate gate() {
        return gate;
    }

    /**
     * Closes the listening socket (and its file) alone, leaving the connections it accepted open, with the
     * settings and the handler they were accepted with, for the server that takes its place: that one was
     * opened with this one to keep ({@link EndpointOpener#open(EndpointSpec, ChannelSetup, Consumer, NetEndpoint)})
     * and closes them when it closes. Call {@link #closeConnections} if none does.
     */
    void closeSocket() {
        close(false);
    }

    /** Closes the connections left open by {@link #closeSocket}, when no server took them over. */
    void closeConnections() {
        if (gate != null) {
            gate.closeAll();
        }
    }

    void recordError(String message) {
        counters.error(message);
    }

    @Override
    public EndpointInfo info() {
        EndpointSpec spec = spec();
        boolean open = channel.isActive() && !closed.get();
        int connections = gate != null ? counters.connections.get() : open ? 1 : 0;
        return new EndpointInfo(spec.name(), owner, spec.transport(), address, open ? "OPEN" : "CLOSED",
                connections, counters.bytesIn.sum(), counters.bytesOut.sum(), counters.framesIn.sum(),
                counters.errors.sum(), counters.lastError());
    }

    @Override
    public void close() {
        close(true);
    }

    /** @param connections whether a server's connections close too ({@link #closeSocket}: not) */
    private void close(boolean connections) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> watch = socketWatch;
        if (watch != null) {
            watch.cancel(false);
        }
        try {
            Future<?> serverClosed = channel.close();
            Future<?> childrenClosed = gate != null && connections ? gate.closeAll() : serverClosed;
            if (!onALoop()) {
                serverClosed.awaitUninterruptibly(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                childrenClosed.awaitUninterruptibly(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                removeSocketFile();
            } else if (socketFile != null) {
                serverClosed.addListener(done -> removeSocketFile());
            }
        } finally {
            onClose.accept(this);
        }
    }

    /**
     * Whether this runs on one of the loops of the endpoint's group (a handler of one of its own connections,
     * or of another endpoint's, closing it): a loop must not wait there, as the connections closing may be its
     * own, which it would hold for the whole wait (or Netty refuse the wait as a deadlock).
     */
    private boolean onALoop() {
        return LoopThreads.onOneOf(channel.eventLoop().parent());
    }

    private void removeSocketFile() {
        if (socketFile != null) {
            socketFile.remove();
        }
    }
}
