package io.msf.timer.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One-shot and periodic timers on a hashed timing wheel.
 *
 * <p>The service is bundle scoped: every timer is owned by the bundle that scheduled it and is
 * cancelled when that bundle stops (should a task hold the timer thread then, once it returns: none
 * runs meanwhile). The service is its bundle's, not a component's: the components of a bundle share one,
 * released (its timers cancelled) only once the last of them lets go of it, so a component that stops while
 * another of its bundle keeps the service leaves its timers pending, to run on the stopped instance: cancel
 * them in its deactivate method. Pending timers are cancelled too ({@link Timeout#isCancelled()}
 * says so) when the timer service itself stops (the timer bundle refreshed, updated or stopped)
 * while their bundle runs on: the service it kept then refuses new timers with a
 * {@link TimerClosedException}; get the service again. Timers fire on the wheel's own thread, never before their
 * delay has passed and at most two ticks after it: the wheel takes a new timer in at its next
 * tick (at once when idle) and counts the delay from then, which keeps the clock off the
 * scheduling path. The thread has no context class loader: set one in a task that needs it.
 * Keep tasks short and hand longer work to an executor: a task that holds the thread for a second or
 * more is logged (a WARN, once per start of its bundle), as every timer due meanwhile runs late. A task
 * must not leave its thread interrupted: the interrupt is cleared as the task returns, with a WARN
 * once per start of its bundle. A task that
 * throws is logged with its owner and does not stop the wheel; a periodic task that throws is
 * cancelled. A task running as its bundle stops that schedules another timer (its next run, say) is
 * refused with an {@link IllegalStateException}; let out of the task, that refusal is logged at INFO,
 * not as a failure of the task: the bundle's timers end with it anyway.
 */
@ProviderType
public interface TimerService {

    /**
     * Runs {@code task} once after {@code delay}.
     *
     * @throws NullPointerException if {@code task} or {@code unit} is null (the message names it)
     * @throws IllegalArgumentException if delay is negative
     * @throws TimerClosedException if the calling bundle is stopping or the service is closed
     * @throws IllegalStateException if as many timers as the container allows are pending already,
     *     every bundle's together (msf.timer maxPending, 1,000,000 by default; the message names the
     *     bundle and the limit): a refusal that passes, unlike {@link TimerClosedException}. While a
     *     task has held the timer thread for a second or more, timers cancelled before that thread
     *     took them in count as pending until the task returns (the message then names the bundle
     *     whose task it is)
     */
    Timeout schedule(Runnable task, long delay, TimeUnit unit);

    /**
     * Runs {@code task} after {@code initialDelay}, then every {@code period}. Deadlines are
     * fixed-rate: a late run does not push the following ones back.
     *
     * @throws NullPointerException as {@link #schedule}
     * @throws IllegalArgumentException if initialDelay is negative or period is not positive
     * @throws TimerClosedException as {@link #schedule}
     * @throws IllegalStateException as {@link #schedule}
     */
    Timeout scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit);

    /** Figures for the whole wheel (every owner). */
    TimerStats stats();

    /** Figures for the timers of the calling bundle only. */
    TimerStats ownStats();

    /**
     * Figures per owner (bundle symbolic name), without visiting a single timer: what a monitor
     * samples every second. Owners whose bundle stopped stay listed with their totals.
     *
     * @since 1.1
     */
    Map<String, TimerStats> statsByOwner();

    /**
     * A snapshot of the pending timers of every owner, soonest first. Describes every timer (calls its
     * task's {@code toString()}) on the timer thread, which runs no timer meanwhile: with many timers
     * pending, use {@link #pending(String, int)}.
     */
    List<TimerInfo> pending();

    /**
     * The soonest {@code limit} pending timers of {@code owner}, or of every owner, and how many match in
     * all: what a console shows. To find them the timer thread still visits every pending timer, but it
     * keeps only the soonest {@code limit} as it goes and describes (calls the task's {@code toString()}
     * of) those alone: it neither sorts nor describes every timer, as {@link #pending()} does.
     *
     * @param owner the symbolic name of the bundle that scheduled them, or null for every owner
     * @param limit the most timers to describe and return
     * @throws IllegalArgumentException if limit is less than 1
     * @since 1.3
     */
    PendingTimers pending(String owner, int limit);
}
