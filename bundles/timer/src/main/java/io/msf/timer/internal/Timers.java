package io.msf.timer.internal;

import io.msf.timer.api.PendingTimers;
import io.msf.timer.api.TimerInfo;
import io.msf.timer.api.TimerStats;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The timer machinery without OSGi: one wheel, its worker thread and the open owners. The DS
 * component {@link TimerEngine} wraps it; benchmarks and tests use it directly.
 */
public final class Timers {

    private final TimerWheel wheel;
    private final TimerWorker worker;
    private final TimerEvents events;
    private final Set<TimerOwner> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    /** Starts the worker thread {@value TimerWorker#THREAD_NAME}. */
    public Timers(WheelSettings settings, LongSupplier ticker, TimerEvents events) {
        this.events = events;
        this.wheel = new TimerWheel(ticker, settings, events);
        this.worker = new TimerWorker(wheel, events);
        worker.start();
    }

    /** Figures of every owner. */
    public TimerStats stats() {
        return wheel.stats();
    }

    /** Figures by owner name, read without the worker. */
    public Map<String, TimerStats> statsByOwner() {
        return wheel.statsByOwner();
    }

    /** The pending timers of every owner, soonest first, as the worker sees them now. */
    public List<TimerInfo> pending() {
        return worker.call(TimerWheel::snapshot);
    }

    /** The soonest {@code limit} pending timers of {@code owner} (every owner if null), and how many match. */
    public PendingTimers pending(String owner, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return worker.call(w -> w.soonest(owner, limit));
    }

    /**
     * Applies new settings at the worker's next pause, keeping every pending timer (see
     * {@link TimerWheel#reconfigure}); does not wait for it.
     */
    public void reconfigure(WheelSettings settings) {
        worker.submit(w -> {
            w.reconfigure(settings);
            events.reconfigured(settings, w.pendingCount());
        });
    }

    /**
     * Closes every owner and stops the worker thread after its current task.
     *
     * @return false if a task still held the thread when the wait ended
     */
    public boolean stop(long timeoutMillis) throws InterruptedException {
        stopped = true;
        for (TimerOwner owner : open) {
            owner.close();
        }
        open.clear();
        return worker.stop(timeoutMillis);
    }

    TimerOwner open(String name) {
        TimerOwner owner = wheel.open(name);
        open.add(owner);
        if (stopped) { // lost a race with stop(): refuse rather than leak an open owner
            owner.close();
        }
        return owner;
    }

    /**
     * Closes {@code owner} and waits until the worker has cancelled its pending timers, unless a task
     * holds the worker (see {@link TimerWorker#runUnlessHeld}): then it leaves that to the worker for
     * when the task returns. None of them can run meanwhile: the worker cancels a closed owner's timers
     * wherever it meets them.
     */
    void close(TimerOwner owner) {
        owner.close();
        open.remove(owner);
        if (stopped) {
            return;
        }
        try {
            TaskHold hold = worker.runUnlessHeld(w -> events.ownerClosed(owner.name, w.sweep(owner)));
            if (hold != null) {
                events.ownerSweepLeft(owner.name, hold);
            }
        } catch (IllegalStateException e) {
            events.ownerSweepLate(owner.name, e);
        }
    }
}
