package io.msf.timer.internal;

/**
 * What the timers report: the DS component logs it, a benchmark may ignore it. Called on the
 * worker thread except {@link #ownerSweepLate} and {@link #ownerSweepLeft}; an implementation must
 * not block.
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

    /**
     * A task returned with its thread's interrupt flag set; the wheel cleared it. Told once per owner: a
     * periodic task would tell it at every run.
     */
    void taskLeftInterrupt(String owner, Runnable task);

    /**
     * A task held the worker thread for a second or more: the timers due meanwhile ran late. Told once per
     * owner, after the task returned.
     */
    void taskHeldWorker(String owner, Runnable task, long heldNanos);

    /** An owner was closed and the worker cancelled its pending timers. */
    void ownerClosed(String owner, long cancelledTimers);

    /**
     * An owner was closed while a task held the worker, and its closing did not wait: none of its timers
     * runs, and the worker cancels them once the task returns ({@link #ownerClosed} then).
     */
    void ownerSweepLeft(String owner, TaskHold hold);

    /**
     * The worker did not cancel an owner's timers in time (a task blocks it). They cannot run:
     * they are cancelled when the worker meets them.
     */
    void ownerSweepLate(String owner, RuntimeException cause);

    /** New settings are in force; the pending timers were carried over. */
    void reconfigured(WheelSettings settings, long pendingTimers);
}
