package io.msf.agent.internal;

import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.log.Logger;

/**
 * Tries the listeners that could not be opened as configured again, on the timer's thread: after
 * {@value #FIRST_MILLIS} ms, then each time twice as long, up to every {@value #MAX_MILLIS} ms, until
 * they are open. A port another process held, a socket path in the way, is so listened on soon after
 * it is free, without a configuration change; neither Config Admin's thread nor an io loop waits for it.
 *
 * <p>A configuration change {@link #restart() starts again} from the first delay with what it asks
 * for; {@link #close()} ends it. The attempt itself runs outside this object's lock, so that
 * {@link #close()} and {@link #restart()} never wait for a bind.
 */
final class ListenerRetry {

    static final long FIRST_MILLIS = 1_000;
    static final long MAX_MILLIS = 30_000;

    private final Listeners listeners;
    private final TimerService timers;
    /** Run after an attempt opened a listener: shows that its problem is gone. */
    private final Runnable opened;
    private final Logger log;
    private Timeout next;
    private long delayMillis;
    /** Counts the restarts: an attempt of an earlier one schedules no other. */
    private long round;
    private boolean closed;

    ListenerRetry(Listeners listeners, TimerService timers, Runnable opened, Logger log) {
        this.listeners = listeners;
        this.timers = timers;
        this.opened = opened;
        this.log = log;
    }

    /** After the listeners were (re)applied: tries those that could not be opened from the first delay on. */
    synchronized void restart() {
        cancel();
        round++;
        delayMillis = FIRST_MILLIS;
        if (!closed && listeners.retrying()) {
            schedule(round);
        }
    }

    /** Stops trying; an attempt under way opens nothing once the listeners are closed. */
    synchronized void close() {
        closed = true;
        cancel();
    }

    private void attempt(long itsRound) {
        synchronized (this) {
            if (closed || itsRound != round) {
                return;
            }
        }
        if (listeners.retry()) {
            opened.run();
        }
        synchronized (this) {
            if (!closed && itsRound == round && listeners.retrying()) {
                delayMillis = Math.min(delayMillis * 2, MAX_MILLIS);
                schedule(itsRound);
            }
        }
    }

    private void schedule(long itsRound) {
        try {
            next = timers.schedule(() -> attempt(itsRound), delayMillis, TimeUnit.MILLISECONDS);
        } catch (IllegalStateException e) {
            // the bundle is stopping (its timers end with it), or the timer is full: the message says which
            log.warn("msf.agent: cannot try the listeners again: {}", e.getMessage());
        }
    }

    private void cancel() {
        if (next != null) {
            next.cancel();
            next = null;
        }
    }
}
