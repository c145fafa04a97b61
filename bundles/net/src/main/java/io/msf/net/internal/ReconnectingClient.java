package io.msf.net.internal;

import io.msf.net.api.ChannelSetup;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.EndpointSpec;
import io.msf.text.ControlCharacters;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.osgi.service.log.Logger;

/**
 * A client endpoint that connects in the background and keeps connecting, as its spec's
 * {@link EndpointSpec#reconnect} says, whether configured or opened from code: while its server is
 * not there, and again whenever its connection is lost, it tries again after a {@link Backoff}.
 * Attempts are scheduled on one event loop and connect asynchronously; everything but
 * {@link #info()}, the closed flag and an attempt's preparation happens on that loop, so an attempt
 * and {@link #close()} never run at the same time. An attempt is prepared (its host looked up, its
 * TLS stores read) on a thread for work that may block, then connects on the loop: a DNS server
 * gone, or a store on a hung network mount, must not hold the loop and every connection on it.
 *
 * <p>The log says once that the server cannot be reached (WARN), or that the connection was lost,
 * and once that it is connected (INFO); the attempts in between are DEBUG lines, and net:list shows
 * how many failed and why.
 *
 * <p>A spec without {@link EndpointSpec#reconnect} (a configured client with {@code reconnect =
 * false}) makes one attempt, still in the background so that the thread that configures it never
 * waits on the network: a failed attempt leaves it FAILED, a lost connection CLOSED, each with the
 * reason (an ERROR or WARN line), until it is closed.
 */
final class ReconnectingClient implements Endpoint {

    /** A connection lost sooner than this counts as a failed attempt: the wait goes on growing. */
    private static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long CLOSE_WAIT_MILLIS = 5000;

    private final String owner;
    private final String label;
    private final ChannelSetup setup;
    private final EndpointOpener opener;
    private final EventLoop loop;
    /** Where an attempt is prepared: what may block, off the loop. */
    private final Executor blocking;
    private final Logger log;
    private final Consumer<? super ReconnectingClient> onClose;
    private final EndpointCounters counters = new EndpointCounters();
    /** Changed only in its waits (see {@link #reconnect}); the rest is what attempts connect with. */
    private volatile EndpointSpec spec;
    /** The waits between attempts; null for a client that makes one attempt only. */
    private volatile Backoff backoff;
    private final AtomicBoolean closed = new AtomicBoolean();

    // On the loop only; volatile where info() reads them.
    private volatile NetEndpoint connected;
    private volatile String state = "CONNECTING";
    /** What net:list says while not connected: the attempts that failed, the last reason, the next try. */
    private volatile String problem = "";
    private Future<NetEndpoint> connecting;
    private Future<?> nextAttempt;
    private int failures;
    private boolean outageLogged;
    /** Connecting again after its idle timeout closed the connection: said at DEBUG, as the close was. */
    private boolean afterIdle;
    private long connectedAtNanos;

    /**
     * @param spec a client's, with its {@link EndpointSpec#reconnect}, or without for one attempt
     * @param blocking where an attempt is prepared ({@link EndpointOpener#prepare}): a thread that may wait
     *     for a host lookup or a file, shut down by the owner once this client is closed
     * @param onClose run once when the endpoint is closed (unregisters it)
     */
    ReconnectingClient(String owner, EndpointSpec spec, ChannelSetup setup, EndpointOpener opener, EventLoop loop,
            Executor blocking, Logger log, Consumer<? super ReconnectingClient> onClose) {
        this.owner = owner;
        this.label = opener.label(spec);
        this.spec = spec;
        this.setup = setup;
        this.backoff = spec.reconnect() == null ? null : Backoff.of(spec.reconnect());
        this.opener = opener;
        this.loop = loop;
        this.blocking = blocking;
        this.log = log;
        this.onClose = onClose;
    }

    @Override
    public EndpointSpec spec() {
        return spec;
    }

    @Override
    public SocketAddress localAddress() {
        NetEndpoint live = connected;
        return live == null ? null : live.localAddress();
    }

    @Override
    public Channel channel() {
        NetEndpoint live = connected;
        return live == null ? null : live.channel();
    }

    @Override
    public void limitConnections(int maxConnections) {
        throw new IllegalStateException("endpoint '" + spec.name() + "' is a " + spec.transport()
                + ": only a server has a connection limit");
    }

    /** Starts the first attempt; returns at once. */
    void start() {
        onLoop(this::attempt);
    }

    /**
     * New waits apply from the next failure on; the connection, if any, stays.
     *
     * @param next this client's spec with another {@link EndpointSpec#reconnect}; this client keeps connecting
     */
    void reconnect(EndpointSpec next) {
        backoff = Backoff.of(next.reconnect());
        spec = next;
    }

    void recordError(String message) {
        counters.error(message);
        problem = message;
    }

    /**
     * Stops connecting and closes the connection; no attempt follows once this returns. Idempotent. Off the
     * loops it waits (at most 5 seconds) until the connection is closed; on one of them (a handler's, this
     * client's or another endpoint's) it does not wait.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (loop.inEventLoop()) {
                stop();
                return;
            }
            try {
                Future<?> stopped = loop.submit(this::stop);
                // Another loop waiting held its own connections meanwhile; two closing each other's clients, both
                // for the whole wait. The closed flag already keeps any attempt from following.
                if (!onALoop()) {
                    stopped.awaitUninterruptibly(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (RejectedExecutionException e) {
                // The loop is shut down: nothing it had scheduled runs any more, and its channels are closed.
                stop();
            }
        } finally {
            onClose.accept(this);
        }
    }

    /** Whether this runs on one of the loops of this client's group. */
    private boolean onALoop() {
        return LoopThreads.onOneOf(loop.parent());
    }

    @Override
    public EndpointInfo info() {
        NetEndpoint live = connected;
        if (live != null) {
            return live.info();
        }
        String why = problem;
        // as a connected one's shows it, and the log lines that quote it: on one line
        String address = ControlCharacters.escapedOnOneLine(spec.address());
        return new EndpointInfo(spec.name(), owner, spec.transport(), address, state, 0, counters.bytesIn.sum(),
                counters.bytesOut.sum(), counters.framesIn.sum(), counters.errors.sum(),
                why.isEmpty() ? counters.lastError() : why);
    }

    private void attempt() {
        nextAttempt = null;
        if (closed.get()) {
            return;
        }
        EndpointSpec attempting = spec;
        try {
            blocking.execute(() -> prepare(attempting));
        } catch (RejectedExecutionException e) {
            // The owner is closing it: its thread for such work is shut down.
            log.debug("{}: no further attempt, the endpoint is being closed", label);
        }
    }

    /** Off the loop: what may block, then back to the loop to connect, or to count the attempt failed. */
    private void prepare(EndpointSpec attempting) {
        if (closed.get()) {
            // Queued before the close: no lookup or store read for a client nobody wants any more.
            return;
        }
        Runnable next;
        try {
            EndpointOpener.ClientAttempt prepared = opener.prepare(attempting, setup, counters);
            next = () -> connect(prepared);
        } catch (Throwable e) {
            // Whatever it is: the executor would keep it to itself (thrown on, it goes no further than the
            // task's future), and the client would never try again.
            String reason = e instanceof RuntimeException ? e.getMessage() : label + ": " + e;
            next = () -> {
                if (!closed.get()) {
                    failed(reason);
                }
            };
        }
        onLoop(next);
    }

    private void connect(EndpointOpener.ClientAttempt prepared) {
        if (closed.get()) {
            return;
        }
        Future<NetEndpoint> attempt = opener.connect(prepared, loop, counters, ended -> { });
        connecting = attempt;
        attempt.addListener(done -> attempted(attempt));
    }

    private void attempted(Future<NetEndpoint> attempt) {
        if (connecting == attempt) {
            connecting = null;
        }
        if (attempt.isCancelled()) {
            return;
        }
        if (closed.get()) {
            if (attempt.isSuccess()) {
                attempt.getNow().close();
            }
            return;
        }
        if (!attempt.isSuccess()) {
            failed(attempt.cause().getMessage());
            return;
        }
        NetEndpoint endpoint = attempt.getNow();
        connected = endpoint;
        connectedAtNanos = System.nanoTime();
        state = "OPEN";
        problem = "";
        if (failures == 0 && afterIdle && !outageLogged) {
            log.debug("{}: {} connected to {}{} again after its idle timeout", label, spec.transport(),
                    endpoint.info().address(), tls());
        } else if (failures == 0) {
            log.info("{}: {} connected to {}{}{}", label, spec.transport(), endpoint.info().address(), tls(),
                    outageLogged ? " again" : "");
        } else {
            log.info("{}: {} connected to {}{} after {} failed attempt(s)", label, spec.transport(),
                    endpoint.info().address(), tls(), failures);
        }
        outageLogged = false;
        afterIdle = false;
        endpoint.channel().closeFuture().addListener(lost -> lost(endpoint));
    }

    private void failed(String reason) {
        if (backoff == null) {
            problem = bare(reason);
            log.error(reason);
            counters.error(bare(reason));
            // last: info() reads the state first, and a FAILED one must come with its reason
            state = "FAILED";
            return;
        }
        failures++;
        long delay = backoff.delayMillis(failures);
        problem = failures + " attempt(s) failed, the last: " + bare(reason) + "; next in " + delay + " ms";
        if (outageLogged) {
            log.debug("{} (attempt {}); next in {} ms", reason, failures, delay);
        } else {
            outageLogged = true;
            String message = reason + "; trying again (after " + backoff.minMillis() + " ms, growing to "
                    + backoff.maxMillis() + " ms between attempts)";
            log.warn(message);
            counters.error(bare(message));
        }
        schedule(delay);
    }

    private void lost(NetEndpoint endpoint) {
        if (closed.get() || connected != endpoint) {
            return;
        }
        connected = null;
        endpoint.close();
        Long idleMillis = endpoint.channel().attr(IdleConnectionCloser.CLOSED_IDLE).get();
        if (idleMillis != null) {
            closedIdle(endpoint, idleMillis);
            return;
        }
        if (backoff == null) {
            state = "CLOSED";
            String message = label + ": connection to " + endpoint.info().address() + " lost; not reconnecting"
                    + " (reconnect = false)";
            log.warn(message);
            counters.error(bare(message));
            problem = bare(message);
            return;
        }
        state = "RECONNECTING";
        // A server that drops each connection at once (full, say) must not be called every reconnectMinMillis.
        failures = System.nanoTime() - connectedAtNanos >= STABLE_NANOS ? 0 : failures + 1;
        String message = label + ": connection to " + endpoint.info().address() + " lost; reconnecting";
        log.warn(message);
        counters.error(bare(message));
        outageLogged = true;
        long delay = backoff.delayMillis(Math.max(failures, 1));
        problem = bare(message) + " in " + delay + " ms";
        schedule(delay);
    }

    /**
     * Its own idle timeout closed the connection: what it was set for, so neither an error nor a failed
     * attempt, and a line at DEBUG when it connects again (every idle period) as the server's are.
     */
    private void closedIdle(NetEndpoint endpoint, long idleMillis) {
        String message = label + ": connection to " + endpoint.info().address() + " closed after " + idleMillis
                + " ms with nothing read or written (idleTimeoutMillis)";
        if (backoff == null) {
            state = "CLOSED";
            log.info("{}; not reconnecting (reconnect = false)", message);
            problem = bare(message);
            return;
        }
        state = "RECONNECTING";
        failures = 0;
        afterIdle = true;
        log.debug("{}; reconnecting", message);
        long delay = backoff.delayMillis(1);
        problem = "";
        schedule(delay);
    }

    /**
     * {@code message} without this client's label, which starts its log lines and the reasons the opener
     * gives: what it lists (net:list, msf:services) is in a row that names the endpoint and its owner.
     */
    private String bare(String message) {
        String prefix = label + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private void schedule(long delayMillis) {
        try {
            nextAttempt = loop.schedule(this::attempt, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The loops are shutting down; the endpoint is closed next.
            log.debug("{}: no further attempt, the event loop is shutting down", label);
        }
    }

    private void stop() {
        if (nextAttempt != null) {
            nextAttempt.cancel(false);
            nextAttempt = null;
        }
        if (connecting != null) {
            connecting.cancel(false);
            connecting = null;
        }
        NetEndpoint live = connected;
        connected = null;
        if (live != null) {
            live.close();
        }
        state = "CLOSED";
    }

    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("{}: not connecting, the event loop is shutting down", label);
        }
    }

    private String tls() {
        return spec.tls() == null ? "" : " over TLS";
    }
}
