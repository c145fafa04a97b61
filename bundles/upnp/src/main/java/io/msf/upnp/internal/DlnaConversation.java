package io.msf.upnp.internal;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.client.api.Subscription;
import io.msf.dlna.api.Dlna;
import io.msf.dlna.api.MediaLibrary;
import io.msf.dlna.api.Track;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.rpc.api.Rpc;
import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerClosedException;
import io.msf.timer.api.TimerService;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.osgi.service.log.Logger;

/**
 * How upnp gets talking with dlna: a synchronous GET (asked again every interval until dlna
 * answers), a subscription to {@value Dlna#STATE_TOPIC} and a synchronous RPC for the library's
 * tracks (asked again by each round while upnp has none: dlna.library is a component of its own,
 * which may come later than dlna); then the {@link Rounds} every interval.
 *
 * <p>The synchronous calls block, so they run on the worker, a one-thread pool of upnp's own from
 * the container's {@code ServiceExecutors} ({@value #POOL}): its thread is counted against upnp
 * (threads, CPU) and stopped with the bundle. Never on the timer's thread: the timer only hands work
 * over to the worker or starts a round's asynchronous calls.
 */
final class DlnaConversation {

    /** The worker's name among upnp's pools (its thread: {@code io.msf.upnp-dlna-1}). */
    static final String POOL = "dlna";
    /** How long {@link #stop} waits for a blocking call the worker is in to give up once interrupted. */
    static final long STOP_WAIT_MILLIS = 5_000;
    private static final Address DLNA = Address.name(Dlna.NAME);

    private final AgentClient client;
    private final TimerService timer;
    private final Logger log;
    private final Received received;
    private final MediaLibrary library;
    private final Rounds rounds;
    private final Duration timeout;
    private final long intervalMillis;
    private final ExecutorService worker;
    private final AtomicBoolean waitingLogged = new AtomicBoolean();
    private final AtomicBoolean loadingTracks = new AtomicBoolean();
    private final AtomicBoolean tracksFailureLogged = new AtomicBoolean();
    private final AtomicBoolean timerRefusalLogged = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Timeout retry;
    private volatile Timeout roundTimer;
    private volatile Subscription subscription;

    /** @param worker a one-thread pool for the blocking calls, which {@link #stop} shuts down */
    DlnaConversation(AgentClient client, TimerService timer, ExecutorService worker, Logger log, Received received,
            long intervalMillis, long timeoutMillis) {
        this.client = client;
        this.worker = worker;
        this.timer = timer;
        this.log = log;
        this.received = received;
        this.intervalMillis = intervalMillis;
        this.timeout = Duration.ofMillis(timeoutMillis);
        this.library = Rpc.proxy(client, Address.name(Dlna.LIBRARY), MediaLibrary.class, timeout);
        this.rounds = new Rounds(client, library, received, log, timeout, intervalMillis, this::tracksWanted);
    }

    void start() {
        worker.execute(this::connect);
    }

    /**
     * Cancels what is scheduled, ends the rounds (one in flight sends nothing more), interrupts a
     * blocking call the worker is in and waits for it to give up (the component's instance must not
     * go on talking to dlna after deactivate), at most {@value #STOP_WAIT_MILLIS} ms.
     */
    void stop() {
        closed = true;
        rounds.close();
        cancelIfClosed();
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                log.warn("upnp: its call to dlna did not end within {} ms of the stop; it ends with the bundle",
                        STOP_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the deactivating thread's owner must see it
        }
    }

    Rounds rounds() {
        return rounds;
    }

    /** On the worker: the synchronous GET, blocking up to the timeout. */
    private void connect() {
        long started = System.nanoTime();
        String state;
        try {
            state = received.replied(client.request(DLNA, Dlna.GET, Unpooled.EMPTY_BUFFER, timeout));
            if (state == null) { // dropped, and said so: no state, no answer
                throw new AgentException(ErrorCode.REMOTE_ERROR, "the reply to GET is not a state");
            }
        } catch (RuntimeException e) { // AgentException, or an interrupt from stop()
            if (closed) {
                return;
            }
            if (waitingLogged.compareAndSet(false, true)) {
                log.info("upnp -> dlna GET (sync, timeout {} ms): no answer yet ({}); asking again every {} ms",
                        timeout.toMillis(), e.getMessage(), intervalMillis);
            } else {
                log.debug("upnp -> dlna GET (sync): still no answer ({})", e.getMessage());
            }
            retry = later(() -> onWorker(this::connect));
            cancelIfClosed();
            return;
        }
        log.info("upnp -> dlna GET (sync, timeout {} ms): state '{}' in {} ms", timeout.toMillis(), state,
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e6));
        received.dlnaState(state);
        subscribe();
        loadTracks();
        // null: the bundle is stopping (its timers closed while dlna answered) or stop() ran
        roundTimer = untilScheduled("the rounds",
                () -> timer.scheduleAtFixedRate(rounds, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS));
        cancelIfClosed();
        if (roundTimer == null) {
            return;
        }
        log.info("upnp: every {} ms an async MediaLibrary.track RPC, SET and GET to dlna", intervalMillis);
    }

    /**
     * Undoes what was set up while {@link #stop} ran: it sets {@code closed} before it reads the
     * fields, this thread writes a field before it reads {@code closed}, so one of them sees the other.
     */
    private void cancelIfClosed() {
        if (closed) {
            cancel(retry);
            cancel(roundTimer);
            Subscription subscribed = subscription;
            if (subscribed != null) {
                subscribed.close();
            }
        }
    }

    private void subscribe() {
        try {
            subscription = client.subscribe(Dlna.STATE_TOPIC, received::publication);
            cancelIfClosed();
            log.info("upnp: subscribed to {}", Dlna.STATE_TOPIC);
        } catch (AgentException e) {
            if (closed) { // the interrupt of stop(): no failure to warn of
                log.debug("upnp: stopping, not subscribed to {} ({})", Dlna.STATE_TOPIC, e.getMessage());
                return;
            }
            log.warn("upnp: cannot subscribe to {}: {}", Dlna.STATE_TOPIC, e.getMessage());
        }
    }

    /** Called by a round without tracks: loads them on the worker, unless that is under way already. */
    private void tracksWanted() {
        if (closed || !loadingTracks.compareAndSet(false, true)) {
            return;
        }
        if (!onWorker(() -> {
            try {
                loadTracks();
            } finally {
                loadingTracks.set(false);
            }
        })) {
            loadingTracks.set(false);
        }
    }

    /**
     * On the worker: a synchronous RPC call. A failure is logged at WARN once, then at DEBUG; so is an
     * answer that is no list of tracks (whoever claims dlna.library answers, in CBOR, which has a null):
     * taken, it would end this call, and the rounds with it, on a NullPointerException.
     */
    private void loadTracks() {
        try {
            List<Track> tracks = library.tracks();
            if (tracks == null || tracks.stream().anyMatch(Objects::isNull)) {
                throw new AgentException(ErrorCode.REMOTE_ERROR, "MediaLibrary.tracks() at " + Dlna.LIBRARY
                        + " answered " + (tracks == null ? "null" : "a list with a null in it") + ", not a list of tracks");
            }
            rounds.tracks(tracks);
            log.info("upnp -> {} MediaLibrary.tracks() (RPC, sync): {} tracks, the first '{}'", Dlna.LIBRARY,
                    tracks.size(), tracks.isEmpty() ? "-" : tracks.get(0).title());
        } catch (AgentException e) {
            if (closed) { // failed by the interrupt of stop(), or answered too late to matter
                log.debug("upnp: stopping, no tracks loaded ({})", e.getMessage());
                return;
            }
            if (tracksFailureLogged.compareAndSet(false, true)) {
                log.warn("upnp -> {} MediaLibrary.tracks() (RPC, sync) failed: {}; the rounds set plain states and"
                        + " ask again each round (failures now at DEBUG)", Dlna.LIBRARY, e.getMessage());
            } else {
                log.debug("upnp -> {} MediaLibrary.tracks() (RPC, sync) failed again: {}", Dlna.LIBRARY, e.getMessage());
            }
        }
    }

    private Timeout later(Runnable task) {
        return untilScheduled("the next attempt to reach dlna",
                () -> timer.schedule(task, intervalMillis, TimeUnit.MILLISECONDS));
    }

    /**
     * On the worker: {@code scheduling} done, or null once the bundle is stopping (the timer's
     * {@link TimerClosedException}) or {@link #stop} ran. The timer's other refusal passes (the
     * container's limit of pending timers, every bundle's together): taken for the stop, it ended upnp's
     * talk with dlna for good, without a word. It is said (WARN once, then DEBUG) and tried again after
     * the interval, waited for on this thread, which {@link #stop} interrupts.
     */
    private Timeout untilScheduled(String what, Supplier<Timeout> scheduling) {
        while (!closed) {
            try {
                return scheduling.get();
            } catch (TimerClosedException e) {
                log.debug("upnp: stopping, {} not scheduled ({})", what, e.getMessage());
                return null;
            } catch (IllegalStateException e) {
                if (timerRefusalLogged.compareAndSet(false, true)) {
                    log.warn("upnp: the timer refused {}: {}; trying again every {} ms (refusals now at DEBUG)",
                            what, e.getMessage(), intervalMillis);
                } else {
                    log.debug("upnp: the timer refused {} again: {}", what, e.getMessage());
                }
                try {
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt(); // stop() ends the worker: so must this task
                    return null;
                }
            }
        }
        return null;
    }

    /** False if the worker refused the task: stopped meanwhile, nothing more to do. */
    private boolean onWorker(Runnable task) {
        try {
            worker.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private static void cancel(Timeout timeout) {
        if (timeout != null) {
            timeout.cancel();
        }
    }

    /** The reply's text; the reply is released. */
    static String text(Message reply) {
        try {
            return reply.payload().toString(StandardCharsets.UTF_8);
        } finally {
            reply.release();
        }
    }
}
