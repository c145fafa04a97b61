package io.msf.agent.internal.uplink;

import io.msf.agent.internal.broker.Broker;
import io.msf.agent.internal.broker.Identity;
import io.msf.agent.internal.broker.ParentLink;
import io.msf.agent.internal.broker.UplinkPeer;
import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.Protocol;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.osgi.service.log.Logger;

/**
 * A child container's federation with its parent's agent (README "Child processes"): an
 * {@link Egress} connection for what goes up, one {@link Export} connection per local name or id
 * so that the parent routes it here, and the broker's {@link UplinkPeer} between them and the
 * local peers.
 *
 * <p>Connecting, registering and subscribing block, so they run on one control thread of the
 * uplink's own, which the broker's notes of change ({@link #claimsChanged}, {@link #patternsChanged})
 * and the connections' state changes only wake. The message paths ({@link #request}, {@link #notify},
 * {@link #publish}) never touch it: they go straight to the egress client.
 */
public final class Uplink implements ParentLink, AutoCloseable {

    /** How long one attempt to join or register may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long closing waits for an attempt under way to give up. */
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final UplinkSettings parent;
    private final Broker broker;
    private final Logger log;
    private final int maxFrameBytes;
    private final ScheduledThreadPoolExecutor control;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final UplinkPeer peer;
    private final Egress egress;
    /** By identity; changed on the control thread only, read by {@link #describe}. */
    private final Map<Identity, Export> exports = new ConcurrentHashMap<>();
    /** Set once every field is: the broker may wake the control thread before. */
    private volatile boolean started;
    private volatile boolean closed;

    /** Links {@code broker} to the agent at {@code parent} and starts joining it. */
    public Uplink(UplinkSettings parent, Broker broker, Logger log) {
        this.parent = Objects.requireNonNull(parent, "parent");
        this.broker = broker;
        this.log = log;
        this.maxFrameBytes = broker.settings().maxFrameBytes();
        this.control = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "msf-agent-uplink");
            thread.setDaemon(true);
            return thread;
        });
        control.setRemoveOnCancelPolicy(true);
        // The broker asks whether the egress is connected as soon as it is attached.
        this.egress = new Egress(parent, log, this::wake);
        this.peer = broker.attachUplink(this);
        egress.deliverTo(peer);
        started = true;
        log.info("agent uplink to the parent agent at {} started", parent);
        wake();
    }

    public UplinkSettings settings() {
        return parent;
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
        if (closed || !started) {
            return;
        }
        long next;
        try {
            next = reconcileNow();
        } catch (RuntimeException e) {
            // Nothing else would wake this thread again: look again a little later.
            log.error("agent uplink to the parent agent at {} failed; trying again", parent.text(), e);
            next = System.nanoTime() + RetryDelay.LONGEST.toNanos();
        }
        if (next != Long.MAX_VALUE && !closed) {
            control.schedule(this::wake, Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /** @return when to look again, or {@link Long#MAX_VALUE} when all is in line */
    private long reconcileNow() {
        long now = System.nanoTime();
        long next = egress.connect(now, options());
        if (egress.connected() && !egress.subscribe(broker.patterns())) {
            next = Math.min(next, now + RetryDelay.LONGEST.toNanos() / 10);
        }
        Set<Identity> wanted = new HashSet<>(broker.claims());
        exports.values().removeIf(export -> {
            if (wanted.contains(export.identity())) {
                return false;
            }
            export.close(true);
            return true;
        });
        for (Identity identity : wanted) {
            Export export = exports.computeIfAbsent(identity, i -> new Export(i, parent, peer, log, this::wake));
            // While the parent is out of reach the exports' own clients reconnect; new ones wait for it.
            if (egress.connected() && !closed) {
                next = Math.min(next, export.connect(System.nanoTime(), options()));
            }
        }
        return next;
    }

    /** What every connection to the parent shares. */
    private ClientOptions.Builder options() {
        ClientOptions.Builder options = ClientOptions.builder().connectTimeout(CONNECT_TIMEOUT)
                .maxFrameBytes(maxFrameBytes).executor(Runnable::run)
                .onError(e -> log.debug("agent uplink, parent agent at {}: {}", parent.text(), e.getMessage()));
        if (parent.address() instanceof InetSocketAddress) {
            InetSocketAddress tcp = (InetSocketAddress) parent.address();
            options.tcp(tcp.getHostString(), tcp.getPort());
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
        return egress.connected();
    }

    @Override
    public CompletionStage<Message> request(Message request, int timeoutMillis) {
        ConnectedClient client = egress.client();
        Address to = address(request);
        if (client == null || to == null) {
            request.release();
            return CompletableFuture.failedFuture(new AgentException(ErrorCode.PEER_OFFLINE, client == null
                    ? describe() : "no peer #0: id 0 is the agent itself"));
        }
        return client.requestAsync(to, request.command(), request.payload(), Duration.ofMillis(timeoutMillis));
    }

    @Override
    public CompletionStage<Void> notify(Message notification) {
        ConnectedClient client = egress.client();
        Address to = address(notification);
        if (client == null || to == null) {
            notification.release();
            return CompletableFuture.failedFuture(new AgentException(ErrorCode.PEER_OFFLINE, client == null
                    ? describe() : "no peer #0: id 0 is the agent itself"));
        }
        return client.notify(to, notification.command(), notification.payload());
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
        if (client == null) {
            text.append(closed ? "CLOSED" : "NOT CONNECTED");
        } else {
            text.append(client.state()).append(" as #").append(Integer.toUnsignedString(client.id()));
        }
        List<String> exported = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Export export : exports.values()) {
            if (export.exported()) {
                exported.add(export.identity().toString());
            } else if (export.refusal() != null) {
                refused.add(export.identity() + " (" + export.refusal() + ")");
            }
        }
        if (!exported.isEmpty()) {
            text.append("; exports ").append(exported.stream().sorted().collect(Collectors.joining(", ")));
        }
        if (!refused.isEmpty()) {
            text.append("; refused ").append(refused.stream().sorted().collect(Collectors.joining(", ")));
        }
        return text.append("; parent ").append(parent.text()).toString();
    }

    /** Leaves the parent: exports withdrawn, egress closed, requests waiting for the parent failed. */
    @Override
    public void close() {
        closed = true;
        control.shutdownNow();
        try {
            control.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        broker.detachUplink(peer);
        exports.values().forEach(export -> export.close(false));
        exports.clear();
        egress.close();
    }
}
