package io.msf.agent.internal.uplink;

import io.msf.agent.internal.broker.Broker;
import io.msf.agent.internal.broker.ParentLink;
import io.msf.agent.internal.broker.UplinkPeer;
import io.msf.agent.internal.broker.UplinkRouting;
import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.Protocol;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.osgi.service.log.Logger;

/**
 * A child container's federation with its parent's agent (docs/child-processes.md): an
 * {@link Egress} connection for what goes up, one {@link Export} connection per local name or id
 * ({@link Exports}) so that the parent routes it here, the egress on one I/O thread and all the exports
 * on two others, and the broker's {@link UplinkPeer} between them and the local peers.
 *
 * <p>Connecting, registering and subscribing block, so they run on one control thread of the
 * uplink's own, which the broker's notes of change ({@link #claimsChanged}, {@link #patternsChanged})
 * and the connections' state changes only wake. The message paths ({@link #request}, {@link #notify},
 * {@link #publish}) never touch it: they go straight to the egress client, and the stages they return
 * complete on its I/O thread.
 *
 * <p>A parent that is this container itself, or a cycle of parents leading back to it, is refused
 * for good (until the configuration changes): the egress registers in the parent under a name of
 * this uplink's own ({@link #name}), and the parent exports what registers in it further up, so the
 * name shows up in this container's own registry exactly when the way up leads back here.
 */
public final class Uplink implements ParentLink, AutoCloseable {

    /**
     * How long closing waits for the control thread to close the connections, once the attempt under way
     * was told to give up ({@link #close}); a thread still busy then is interrupted again.
     */
    private static final long CLOSE_WAIT_SECONDS = 6;
    /** The I/O threads the exports' connections share, however many names are exported. */
    private static final int EXPORT_IO_THREADS = 2;

    private final UplinkSettings parent;
    private final UplinkRouting routing;
    private final Logger log;
    private final int maxFrameBytes;
    private final SSLContext tls;
    private final String name = "msf.uplink." + UUID.randomUUID().toString().replace("-", "");
    private final ScheduledThreadPoolExecutor control;
    /**
     * The egress's I/O thread, which reads the parent's answers to this container's requests; the exports'
     * connections, which bring the parent's requests in, have threads of their own: a handler they call that
     * asks the parent synchronously (it should not block, as any handler, but may) blocks one of theirs, never
     * the one its answer comes in on.
     */
    private final MultiThreadIoEventLoopGroup egressIo;
    private final MultiThreadIoEventLoopGroup exportsIo;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final UplinkPeer peer;
    private final Egress egress;
    private final Exports exports;
    /** Set once every field is: the broker may wake the control thread before. */
    private volatile boolean started;
    private volatile boolean closed;
    /** Why the parent is refused for good (it leads back here); null while it is not. */
    private volatile String loop;
    /** Guards {@link #reconciling}: close() interrupts the control thread only while it reconciles. */
    private final Object attempt = new Object();
    /** The control thread while it reconciles, which may block in a connect for the connect timeout. */
    private Thread reconciling;

    /**
     * Links {@code broker} to the agent at {@code parent} and starts joining it.
     *
     * @throws IllegalArgumentException if the parent's TLS trust store cannot be used
     */
    public Uplink(UplinkSettings parent, Broker broker, Logger log) {
        this.parent = Objects.requireNonNull(parent, "parent");
        this.tls = parent.tls();
        this.routing = broker.uplinks();
        this.log = log;
        this.maxFrameBytes = broker.settings().maxFrameBytes();
        this.control = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "msf-agent-uplink");
            thread.setDaemon(true);
            return thread;
        });
        control.setRemoveOnCancelPolicy(true);
        // Closing runs what is queued now, but no retry waiting for its time.
        control.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.egressIo = ioThreads(1, "msf-agent-uplink-io");
        this.exportsIo = ioThreads(EXPORT_IO_THREADS, "msf-agent-uplink-export-io");
        // The broker asks whether the egress is connected as soon as it is attached.
        this.egress = new Egress(parent, name, log, this::wake, () -> closed);
        this.peer = routing.attach(this);
        egress.deliverTo(peer);
        this.exports = new Exports(parent, peer, log, this::wake, () -> closed, name);
        started = true;
        log.info("agent uplink to the parent agent at {} started; it registers there as '{}'", parent, name);
        wake();
    }

    private static MultiThreadIoEventLoopGroup ioThreads(int count, String name) {
        return new MultiThreadIoEventLoopGroup(count, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        }, NioIoHandler.newFactory());
    }

    public UplinkSettings settings() {
        return parent;
    }

    /** The name the egress registers under in the parent, and this container watches for in its own registry. */
    String name() {
        return name;
    }

    /** Runs {@link #reconcile} soon, once however often it is asked for meanwhile. */
    private void wake() {
        if (!closed && wakeQueued.compareAndSet(false, true)) {
            try {
                control.execute(this::reconcile);
            } catch (RejectedExecutionException e) {
                wakeQueued.set(false);   // closing
            }
        }
    }

    /** Brings the connections in line with the parent's reachability, local claims and patterns. */
    private void reconcile() {
        wakeQueued.set(false);
        if (closed || !started || loop != null) {
            return;
        }
        synchronized (attempt) {
            if (closed) {
                return;
            }
            reconciling = Thread.currentThread();
        }
        long next;
        try {
            next = reconcileNow();
        } catch (RuntimeException e) {
            if (closed) {
                return;
            }
            // Nothing else would wake this thread again: look again a little later.
            log.error("agent uplink to the parent agent at {} failed; trying again", parent.text(), e);
            next = System.nanoTime() + RetryDelay.LONGEST.toNanos();
        } finally {
            synchronized (attempt) {
                reconciling = null;
            }
            if (closed) {
                // close()'s interrupt, come after the attempt was over: the connections are closed next, on this thread.
                Thread.interrupted();
            }
        }
        if (next != Long.MAX_VALUE && !closed) {
            try {
                control.schedule(this::wake, Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** @return when to look again, or {@link Long#MAX_VALUE} when all is in line */
    private long reconcileNow() {
        long now = System.nanoTime();
        long next = egress.connect(now, options(egressIo), () -> routing.holds(name));
        if (next == Long.MIN_VALUE || routing.holds(name)) {
            refuseLoop();
            return Long.MAX_VALUE;
        }
        if (egress.connected() && !egress.subscribe(routing.patterns())) {
            next = Math.min(next, now + RetryDelay.LONGEST.toNanos() / 10);
        }
        return Math.min(next, exports.reconcile(routing.claims(), egress.connected(), () -> options(exportsIo)));
    }

    /** The way up leads back here: everything to the parent is closed, and nothing tried again. */
    private void refuseLoop() {
        loop = "the parent agent at " + parent.text() + " is this container's own agent, or a cycle of parents"
                + " leads back to it (this container's registry holds the uplink's name '" + name + "')";
        log.error("agent uplink refused: {}; fix the key parent of msf.agent (or the property msf.agent.parent):"
                + " nothing is sent to the parent until the configuration changes", loop);
        closeConnections(false);
    }

    /** What every connection to the parent shares, on {@code io}. */
    private ClientOptions.Builder options(MultiThreadIoEventLoopGroup io) {
        ClientOptions.Builder options = ClientOptions.builder()
                .connectTimeout(Duration.ofMillis(parent.connectTimeoutMillis()))
                .tlsHandshakeTimeout(Duration.ofMillis(parent.tlsHandshakeTimeoutMillis()))
                .maxFrameBytes(maxFrameBytes).executor(Runnable::run).ioThreads(io)
                .onError(e -> log.debug("agent uplink, parent agent at {}: {}", parent.text(), e.getMessage()));
        if (parent.address() instanceof InetSocketAddress) {
            InetSocketAddress tcp = (InetSocketAddress) parent.address();
            options.tcp(tcp.getHostString(), tcp.getPort());
            if (tls != null) {
                options.tls(tls);
            }
        } else {
            options.unixSocket(((UnixDomainSocketAddress) parent.address()).getPath());
        }
        if (!parent.token().isEmpty()) {
            options.token(parent.token());
        }
        return options;
    }

    @Override
    public boolean connected() {
        return loop == null && egress.connected();
    }

    @Override
    public CompletionStage<Message> request(Message request, int timeoutMillis) {
        ConnectedClient client = egress.client();
        Address to = address(request);
        if (client == null || to == null) {
            return unsent(request, client);
        }
        return client.requestAsync(to, request.command(), request.payload(), Duration.ofMillis(timeoutMillis));
    }

    @Override
    public CompletionStage<Void> notify(Message notification) {
        ConnectedClient client = egress.client();
        Address to = address(notification);
        if (client == null || to == null) {
            return unsent(notification, client);
        }
        return client.notify(to, notification.command(), notification.payload());
    }

    /** Releases a message that cannot go to the parent: it is down, or id 0 was addressed. */
    private <T> CompletionStage<T> unsent(Message message, ConnectedClient client) {
        message.release();
        return CompletableFuture.failedFuture(new AgentException(ErrorCode.PEER_OFFLINE, client == null
                ? describe() : "no peer #0: id 0 is the agent itself"));
    }

    @Override
    public void publish(Message publication) {
        ConnectedClient client = egress.client();
        if (client == null) {
            publication.release();
            return;
        }
        client.publish(publication.subject(), publication.command(), publication.payload());
    }

    /** Addressed as the local sender addressed it; null for id 0, which is no peer. */
    private static Address address(Message message) {
        if (!message.subject().isEmpty()) {
            return Address.name(message.subject());
        }
        return message.destination() == Protocol.AGENT_ID ? null : Address.id(message.destination());
    }

    @Override
    public void claimsChanged() {
        wake();
    }

    @Override
    public void patternsChanged() {
        wake();
    }

    /**
     * {@code CONNECTED as #2147483650; exports 'dlna', #7; refused 'x' (DUPLICATE_NAME); parent unix /x/agent.sock}:
     * state and names first, as {@code agent:peers} may cut a long origin.
     */
    @Override
    public String describe() {
        ConnectedClient client = egress.client();
        StringBuilder text = new StringBuilder();
        if (loop != null) {
            text.append("REFUSED: ").append(loop);
        } else if (client == null) {
            text.append(closed ? "CLOSED" : "NOT CONNECTED");
        } else {
            text.append(client.state()).append(" as #").append(Integer.toUnsignedString(client.id()));
        }
        exports.describeTo(text);
        if (egress.refusedPatterns() > 0) {
            text.append("; ").append(egress.refusedPatterns()).append(" pattern(s) refused by the parent (OVERLOADED)");
        }
        return text.append("; parent ").append(parent.text()).toString();
    }

    /** Closes the egress and every export, on the control thread or once it has stopped. */
    private void closeConnections(boolean leaving) {
        exports.close(leaving);
        egress.close(leaving);
    }

    /** Leaves the parent: exports withdrawn, egress closed, requests waiting for the parent failed. */
    @Override
    public void close() {
        closed = true;
        routing.detach(peer);
        // An attempt to reach a parent that does not answer (gone, a socket file left, a silent port) would
        // hold the close, and the configuration change or the container's stop behind it, for the whole
        // connect timeout (parentConnectTimeoutMillis): it gives up at once, quietly, as the uplink is closed.
        synchronized (attempt) {
            if (reconciling != null) {
                reconciling.interrupt();
            }
        }
        // The connections belong to the control thread: close them there, after an attempt under way.
        try {
            control.execute(() -> closeConnections(true));
        } catch (RejectedExecutionException e) {
            // closed before
        }
        control.shutdown();
        try {
            if (!control.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                control.shutdownNow();
                closeConnections(true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeConnections(true);
        }
        // Last: the clients closed above ran on them.
        egressIo.shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        exportsIo.shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
