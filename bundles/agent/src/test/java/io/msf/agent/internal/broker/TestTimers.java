package io.msf.agent.internal.broker;

import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerInfo;
import io.msf.timer.api.TimerService;
import io.msf.timer.api.TimerStats;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** A stand-in for the timer bundle: one scheduler thread. Only what the broker uses is supported. */
final class TestTimers implements TimerService, AutoCloseable {

    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "test-timer");
        thread.setDaemon(true);
        return thread;
    });

    TestTimers() {
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Timeout schedule(Runnable task, long delay, TimeUnit unit) {
        ScheduledFuture<?> future = executor.schedule(task, delay, unit);
        return new Timeout() {
            @Override
            public boolean cancel() {
                return future.cancel(false);
            }

            @Override
            public boolean isCancelled() {
                return future.isCancelled();
            }

            @Override
            public boolean isExpired() {
                return future.isDone() && !future.isCancelled();
            }
        };
    }

    /** Timers still waiting: the broker cancels a request's timer when it is answered. */
    int waiting() {
        return executor.getQueue().size();
    }

    @Override
    public Timeout scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public TimerStats stats() {
        throw new UnsupportedOperationException();
    }

    @Override
    public TimerStats ownStats() {
        throw new UnsupportedOperationException();
    }

    @Override
    public java.util.Map<String, TimerStats> statsByOwner() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<TimerInfo> pending() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
