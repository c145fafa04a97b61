package io.msf.agent.internal.broker;

import io.msf.timer.api.Timeout;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** A stand-in for the timer bundle: one scheduler thread. Only what the broker uses is supported. */
final class TestTimers extends OneShotTimers implements AutoCloseable {

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
    public void close() {
        executor.shutdownNow();
    }
}
