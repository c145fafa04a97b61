package io.msf.agent.internal.broker;

import io.msf.timer.api.TimerClosedException;
import java.util.concurrent.TimeUnit;

/**
 * Tells the log of what keeps going wrong for one peer without flooding it: a handler that throws
 * on every NOTIFY, or a bundle that publishes frames too large for a subscriber on every
 * publication, would otherwise write a WARN line per message. The first is logged in full (with
 * its stack trace, if any); the ones after it are counted, and once per {@link #INTERVAL_MILLIS} one
 * line tells how many there were and the last of them. An interval without any ends the episode:
 * the next one is logged in full again. Only failures come here, never the success path; the
 * broker's timer is armed once per episode and interval (one the timer service refused, at its
 * maxPending, is asked for again with the next failure). {@link PeerAddressWarnings} keeps one for
 * each peer address, each told when its episode ends.
 */
final class RepeatedWarnings {

    static final long INTERVAL_MILLIS = TimeUnit.MINUTES.toMillis(1);

    private final Broker broker;
    private final String who;
    /** Told, outside this lock, when an interval without any ended the episode. */
    private final Runnable episodeEnded;
    /** Guarded by this: whether one was logged in full and the interval after it is running. */
    private boolean reporting;
    /** Guarded by this: whether the timer that ends the interval is set; the timer service may refuse one. */
    private boolean armed;
    private long count;
    private String last;

    /** {@code who}: how the lines begin, naming the peer and where it comes from. */
    RepeatedWarnings(Broker broker, String who) {
        this(broker, who, () -> {
        });
    }

    /** {@code episodeEnded} runs on the timer's thread, without this lock held, as an episode ends quietly. */
    RepeatedWarnings(Broker broker, String who, Runnable episodeEnded) {
        this.broker = broker;
        this.who = who;
        this.episodeEnded = episodeEnded;
    }

    /** {@code what} went wrong, with {@code failure} (null: none) as its cause. */
    synchronized void warn(String what, Throwable failure) {
        if (reporting) {
            count++;
            last = failure == null ? what : what + ": " + Failures.detail(failure);
            if (!armed) {
                schedule();
            }
            return;
        }
        if (failure == null) {
            broker.log.warn("{}: {}; the next ones are counted and told once a minute", who, what);
        } else {
            broker.log.warn("{}: {}; the next ones are counted and told once a minute", who, what,
                    Failures.unwrap(failure));
        }
        reporting = true;
        schedule();
    }

    /** The interval ended: tells what went wrong in it, or ends the episode if nothing did. */
    void intervalEnded() {
        if (endInterval()) {
            // Without this lock: the owner of episodeEnded takes its own lock first, then this one (quiet()).
            episodeEnded.run();
        }
    }

    /** @return whether the episode ended, nothing having gone wrong in the interval */
    private synchronized boolean endInterval() {
        armed = false;
        if (count == 0) {
            reporting = false;
            return true;
        }
        broker.log.warn("{}: {} more in the last minute, the last: {}", who, count, last);
        count = 0;
        schedule();
        return false;
    }

    /** Whether no episode is running: the next warning would be logged in full. */
    synchronized boolean quiet() {
        return !reporting;
    }

    private void schedule() {
        try {
            broker.schedule(this::intervalEnded, INTERVAL_MILLIS);
            armed = true;
        } catch (TimerClosedException closed) {
            // The agent's timers are gone, so it is stopping: nothing more to count towards, the next is
            // logged in full.
            armed = false;
            reporting = false;
            count = 0;
        } catch (IllegalStateException full) {
            // The container's maxPending reached: the episode goes on, counted, and the next warning asks
            // again, or the flood this class holds back would be back under the very timer pressure a
            // flood may cause.
            armed = false;
        }
    }
}
