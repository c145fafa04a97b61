package io.msf.timer.testing;

import io.msf.timer.api.PendingTimers;
import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerInfo;
import io.msf.timer.api.TimerService;
import io.msf.timer.api.TimerStats;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link TimerService} for tests whose tasks run only when the test says so ({@link #runAll}): no
 * waiting, no timing in assertions. Delays and periods are checked as the real service checks them,
 * then ignored. A task that throws fails the test instead of being logged. It keeps no figures:
 * {@link #stats}, {@link #ownStats} and {@link #pending} are unsupported.
 *
 * <p>Other modules use it through the timer module's test-jar
 * ({@code <type>test-jar</type><scope>test</scope>}).
 */
public final class ManualTimerService implements TimerService {

    /** One scheduled task. */
    public static final class Task implements Timeout {
        private final Runnable runnable;
        private final boolean periodic;
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private volatile boolean expired;

        Task(Runnable runnable, boolean periodic) {
            this.runnable = runnable;
            this.periodic = periodic;
        }

        /** True for {@link #scheduleAtFixedRate}, false for {@link #schedule}. */
        public boolean isPeriodic() {
            return periodic;
        }

        @Override
        public boolean cancel() {
            return !expired && cancelled.compareAndSet(false, true);
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }

        @Override
        public boolean isExpired() {
            return expired;
        }
    }

    private final List<Task> tasks = new CopyOnWriteArrayList<>();

    @Override
    public Timeout schedule(Runnable task, long delay, TimeUnit unit) {
        if (delay < 0) {
            throw new IllegalArgumentException("delay must not be negative: " + delay + " " + unit);
        }
        return add(new Task(task, false));
    }

    @Override
    public Timeout scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        if (initialDelay < 0 || period <= 0) {
            throw new IllegalArgumentException("initialDelay must not be negative and period must be positive: "
                    + initialDelay + ", " + period + " " + unit);
        }
        return add(new Task(task, true));
    }

    private Task add(Task task) {
        tasks.add(task);
        return task;
    }

    /**
     * Runs every live task once, in the order they were scheduled; a one-shot task has then expired.
     * A task scheduled meanwhile waits for the next call.
     */
    public void runAll() {
        for (Task task : tasks) { // a snapshot: what runs now may schedule more
            if (!task.isCancelled()) {
                if (!task.periodic) {
                    tasks.remove(task);
                    task.expired = true;
                }
                task.runnable.run();
            }
        }
    }

    /** The tasks still waiting to run: neither cancelled nor, for a one-shot task, run. */
    public List<Task> live() {
        return tasks.stream().filter(task -> !task.isCancelled()).toList();
    }

    @Override
    public TimerStats stats() {
        throw new UnsupportedOperationException("ManualTimerService keeps no figures");
    }

    @Override
    public TimerStats ownStats() {
        throw new UnsupportedOperationException("ManualTimerService keeps no figures");
    }

    @Override
    public java.util.Map<String, TimerStats> statsByOwner() {
        throw new UnsupportedOperationException("ManualTimerService keeps no figures");
    }

    @Override
    public List<TimerInfo> pending() {
        throw new UnsupportedOperationException("ManualTimerService keeps no figures");
    }

    @Override
    public PendingTimers pending(String owner, int limit) {
        throw new UnsupportedOperationException("ManualTimerService keeps no figures");
    }
}
