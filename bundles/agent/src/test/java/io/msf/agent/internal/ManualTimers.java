package io.msf.agent.internal;

import io.msf.agent.internal.broker.OneShotTimers;
import io.msf.timer.api.Timeout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A timer whose one-shot tasks run when the test says, in the order they were scheduled. */
final class ManualTimers extends OneShotTimers {

    private final List<Task> waiting = new ArrayList<>();

    /** The delays of the timers waiting, in milliseconds, in the order they were scheduled. */
    synchronized List<Long> delays() {
        return waiting.stream().map(Task::millis).toList();
    }

    /** Runs the first timer waiting, as the wheel would once its delay passed. */
    void runNext() {
        Task task;
        synchronized (this) {
            if (waiting.isEmpty()) {
                throw new AssertionError("no timer waiting");
            }
            task = waiting.remove(0);
        }
        task.run().run();
    }

    @Override
    public synchronized Timeout schedule(Runnable run, long delay, TimeUnit unit) {
        Task task = new Task(run, unit.toMillis(delay));
        waiting.add(task);
        return new Timeout() {
            private boolean cancelled;

            @Override
            public boolean cancel() {
                synchronized (ManualTimers.this) {
                    cancelled = waiting.remove(task);
                    return cancelled;
                }
            }

            @Override
            public boolean isCancelled() {
                return cancelled;
            }

            @Override
            public boolean isExpired() {
                throw new UnsupportedOperationException();
            }
        };
    }

    private record Task(Runnable run, long millis) {
    }
}
