package io.msf.timer.internal;

/**
 * What the timers report: the DS component logs it, a benchmark may ignore it. Called on the
 * worker thread except {@link #ownerClosed}; an implementation must not block.
 */
public interface TimerEvents {

    /**
     * A task threw; the wheel goes on.
     *
     * @param periodicCancelled true if the task was periodic and its timer is now cancelled
     */
    void taskFailed(String owner, Runnable task, boolean periodicCancelled, Throwable error);

    /** The worker loop itself failed (a bug); it goes on with the next tick. */
    void workerFailed(Throwable error);

    /** An owner was closed and the worker cancelled its pending timers. */
    void ownerClosed(String owner, long cancelledTimers);

    /**
     * The worker did not cancel an owner's timers in time (a task blocks it). They cannot run:
     * they are cancelled when the worker meets them.
     */
    void ownerSweepLate(String owner, RuntimeException cause);

    /** New settings are in force; the pending timers were carried over. */
    void reconfigured(WheelSettings settings, long pendingTimers);
}
