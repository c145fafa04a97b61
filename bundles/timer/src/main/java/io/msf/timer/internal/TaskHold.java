package io.msf.timer.internal;

import java.util.concurrent.TimeUnit;

/**
 * A timer task that has held the worker thread for a while, as another thread sees it: named by its class, not
 * its {@code toString()}, which is the task's own code and is called on the worker thread only.
 *
 * @param owner the name of the owner whose task it is
 * @param taskClass the class of the task
 * @param heldNanos how long the task has run so far
 */
public record TaskHold(String owner, String taskClass, long heldNanos) {

    long heldMillis() {
        return TimeUnit.NANOSECONDS.toMillis(heldNanos);
    }

    @Override
    public String toString() {
        return "a task (" + taskClass + ") of " + owner + " has held the timer thread " + TimerWorker.THREAD_NAME
                + " for " + heldMillis() + " ms";
    }
}
