package io.msf.client.internal;

import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.ErrorCode;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A client's state and what it tells the application: state changes to the listeners and errors
 * that belong to no call to {@code onError}, in the order they happened, one at a time, on the
 * application's executor. Failures of the application's own callbacks are logged through
 * {@link System.Logger} (the JDK's logging facade: no dependency), logger {@code io.msf.client}, and
 * so is what the executor refuses to run: an error is logged instead of reported, a state change
 * goes untold (the state itself is kept; {@code state()} says it). On the client's own callback
 * thread the errors go ahead of the received messages waiting for the handler and the listeners, as
 * soon as the one running returns; the state changes keep their place among them. An application's
 * executor runs both in its own order, one at a time.
 */
final class ClientEvents {

    static final System.Logger LOG = System.getLogger("io.msf.client");

    private static final Duration LONGEST_WAIT = Duration.ofNanos(Long.MAX_VALUE);

    private final String client;
    private final Consumer<AgentException> onError;
    /** The state changes, in line with the received messages. */
    private final SerialExecutor serial;
    /** The errors: ahead of the received messages on the client's own callback thread, else {@link #serial}. */
    private final SerialExecutor errors;
    private final List<Consumer<ConnectionState>> listeners = new CopyOnWriteArrayList<>();
    private ConnectionState state = ConnectionState.CONNECTING;
    private final PendingReport drops = new PendingReport("more publications dropped");
    /** The ERRORs for no call, one pending report per code; filled once, read by any thread. */
    private final Map<ErrorCode, PendingReport> strays = new EnumMap<>(ErrorCode.class);

    /**
     * @param client names the client in log messages
     * @param ownThread whether {@code callbacks} is the client's own single callback thread
     */
    ClientEvents(String client, Consumer<AgentException> onError, WatchedExecutor callbacks, boolean ownThread) {
        this.client = client;
        this.onError = onError;
        this.serial = new SerialExecutor(callbacks);
        // Errors ahead of the received messages waiting on the client's own thread: an overload report
        // queued behind them (what a slow handler or listener piles up) came when it was over. Not the
        // state changes: RECONNECTING and the next CONNECTED ahead of the lost connection's messages had
        // an application that starts afresh on CONNECTED take those for new. One thread runs both queues
        // one call at a time; an application's executor, maybe a pool, gets one queue, in order.
        this.errors = ownThread ? new SerialExecutor(callbacks, true) : serial;
        for (ErrorCode code : ErrorCode.values()) {
            strays.put(code, new PendingReport("more ERRORs " + code + " for no call"));
        }
    }

    synchronized ConnectionState state() {
        return state;
    }

    /** Moves to {@code next} and tells the listeners; CLOSED is final. False if nothing changed. */
    synchronized boolean moveTo(ConnectionState next) {
        if (state == ConnectionState.CLOSED || state == next) {
            return false;
        }
        state = next;
        notifyAll();
        // Listeners added after this change do not hear of it: take them now, under the lock.
        for (Consumer<ConnectionState> listener : List.copyOf(listeners)) {
            serial.execute(() -> callSafely("state listener", () -> listener.accept(next)),
                    refused -> refused("a state listener", "the state change to " + next, refused));
        }
        return true;
    }

    void onStateChange(Consumer<ConnectionState> listener) {
        listeners.add(listener);
    }

    /**
     * Waits for CONNECTED; false once CLOSED or when {@code timeout} ran out. A timeout past what a
     * long holds in nanoseconds (292 years; {@code ChronoUnit.FOREVER}) is that long: it waits as
     * long as it takes.
     */
    synchronized boolean awaitConnected(Duration timeout) throws InterruptedException {
        long timeoutNanos = timeout.compareTo(LONGEST_WAIT) >= 0 ? Long.MAX_VALUE : timeout.toNanos();
        long start = System.nanoTime();
        while (state != ConnectionState.CONNECTED) {
            // what is left, not a deadline: start + a long timeout would overflow
            long left = timeoutNanos - (System.nanoTime() - start);
            if (state == ConnectionState.CLOSED || left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Reports an error that belongs to no call. */
    void error(AgentException error) {
        LOG.log(Level.DEBUG, () -> client + ": " + error.getMessage());
        errors.execute(() -> callSafely("onError", () -> onError.accept(error)),
                refused -> refused("onError", error.getMessage(), refused));
    }

    /**
     * Reports a dropped publication: not connected, too much waiting to be sent, or its write
     * failed. A publisher does not slow down for an agent that is gone or slow, so its drops could
     * outrun onError and queue for the callback thread without bound: while the report of one
     * waits, those that follow are counted into it instead.
     */
    void publicationDropped(AgentException error) {
        report(drops, error);
    }

    /**
     * Reports an ERROR the agent sent for no call of this client: one per publication too large for
     * a subscriber, one per notification it could not deliver. As many as the application publishes
     * or notifies, so counted into the waiting report of their code, as the dropped publications are.
     */
    void strayError(AgentException error) {
        report(strays.get(error.code()), error);
    }

    private void report(PendingReport pending, AgentException error) {
        LOG.log(Level.DEBUG, () -> client + ": " + error.getMessage());
        if (!pending.add(error)) {
            return;
        }
        errors.execute(() -> {
            AgentException report = pending.take();
            callSafely("onError", () -> onError.accept(report));
        }, refused -> refused("onError", pending.take().getMessage(), refused));
    }

    /** The executor would not run a callback: what it was to tell is logged, where it cannot be missed. */
    private void refused(String callback, String what, RejectedExecutionException refusal) {
        LOG.log(Level.WARNING, client + ": the executor refused to run " + callback + " (" + refusal + "); not told: "
                + what);
    }

    /** Runs application code; what it throws is logged, never lets a client thread die. */
    void callSafely(String what, Runnable code) {
        try {
            code.run();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, client + ": the application's " + what + " failed", e);
        }
    }

    /** The client for people: its name or its address. */
    String client() {
        return client;
    }
}
