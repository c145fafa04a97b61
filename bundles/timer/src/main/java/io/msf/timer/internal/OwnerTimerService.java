package io.msf.timer.internal;

import io.msf.timer.api.PendingTimers;
import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerInfo;
import io.msf.timer.api.TimerService;
import io.msf.timer.api.TimerStats;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The {@link TimerService} of one owner: checks arguments and charges every timer to the owner.
 * {@link BundleTimerService} makes one per using bundle; benchmarks use it without OSGi.
 *
 * <p>The wheel takes a new timer in at its next tick, or at once when it was idle. The delay
 * counts from then, so a timer never fires before its delay has passed since the call and, while
 * the timer thread keeps up, at most two ticks after that. The figures ({@link #stats},
 * {@link #ownStats}) count a timer from then too. Keeping the scheduling thread out of the clock
 * and the bookkeeping is what makes scheduling and cancelling cheap; {@link #pending} is always
 * complete, as the wheel takes every timer in before it lists them.
 */
public class OwnerTimerService implements TimerService {

    private final Timers timers;
    private final TimerOwner owner;

    public OwnerTimerService(Timers timers, String ownerName) {
        this.timers = timers;
        this.owner = timers.open(ownerName);
    }

    @Override
    public Timeout schedule(Runnable task, long delay, TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(unit, "unit");
        if (delay < 0) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay + " " + unit);
        }
        return owner.schedule(task, unit.toNanos(delay), 0);
    }

    @Override
    public Timeout scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(unit, "unit");
        if (initialDelay < 0) {
            throw new IllegalArgumentException("initialDelay must not be negative, was " + initialDelay + " " + unit);
        }
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive, was " + period + " " + unit);
        }
        return owner.schedule(task, unit.toNanos(initialDelay), unit.toNanos(period));
    }

    @Override
    public TimerStats stats() {
        return timers.stats();
    }

    @Override
    public TimerStats ownStats() {
        return owner.stats();
    }

    @Override
    public Map<String, TimerStats> statsByOwner() {
        return timers.statsByOwner();
    }

    @Override
    public List<TimerInfo> pending() {
        return timers.pending();
    }

    @Override
    public PendingTimers pending(String ownerName, int limit) {
        return timers.pending(ownerName, limit);
    }

    /** Refuses new timers and cancels the pending ones of this owner. */
    public void close() {
        timers.close(owner);
    }

    @Override
    public String toString() {
        return "TimerService of " + owner.name;
    }
}
