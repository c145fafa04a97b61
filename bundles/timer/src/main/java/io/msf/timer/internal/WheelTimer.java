package io.msf.timer.internal;

import io.msf.timer.api.Timeout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One timer: both the handle its owner holds and the wheel's list entry. The entry is intrusive
 * (it carries its own queue and bucket links) so that scheduling allocates this one object only.
 *
 * <p>States: handed over (in the inbound queue), in the wheel, and finally cancelled or (one-shot
 * timers only) expired, each move a single CAS. Cancelling never touches the wheel's structure:
 * the worker drops cancelled entries when it meets them (lazy removal). A timer cancelled while
 * still handed over frees its place under maxPending at once (unless a task blocks the worker: see
 * {@link TimerWheel#schedule}), but is counted in its owner's figures by the worker when it takes it
 * in: disarming a timeout costs the caller one CAS and two adds to its stripe of the
 * {@link PendingCount}, plain ones for up to eight threads.
 */
final class WheelTimer implements Timeout {

    private static final int HANDED_OVER = 0;
    private static final int IN_WHEEL = 1;
    private static final int CANCELLED = 2;
    private static final int EXPIRED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WheelTimer.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final TimerOwner owner;
    final Runnable task;
    /** The period of a periodic timer, 0 for a one-shot timer. */
    final long periodNanos;
    /**
     * Until the worker takes the timer in: its delay. From then on: its next deadline in
     * nanoseconds since the wheel's origin, moved by the worker only.
     */
    long deadline;
    private volatile int state;

    /** Link in the inbound queue, written by producers; see {@link InboundQueue}. */
    volatile WheelTimer nextInQueue;

    // Owned by the worker thread: assigned when the timer is taken into the wheel.
    long id;
    long dueTick;
    WheelTimer nextInBucket;

    /**
     * A mark the worker puts in the inbound queue to take in the timers handed over before it and none after
     * (see {@link TimerWheel}); no timer: it has no owner, as the queue's stub has none.
     */
    static WheelTimer mark() {
        return new WheelTimer(null, null, 0, 0);
    }

    WheelTimer(TimerOwner owner, Runnable task, long delayNanos, long periodNanos) {
        this.owner = owner;
        this.task = task;
        this.deadline = delayNanos;
        this.periodNanos = periodNanos;
    }

    @Override
    public boolean cancel() {
        for (;;) {
            int current = state;
            if (current == HANDED_OVER) {
                if (STATE.compareAndSet(this, HANDED_OVER, CANCELLED)) {
                    owner.cancelledHandedOver();
                    return true;
                }
            } else if (current == IN_WHEEL) {
                if (STATE.compareAndSet(this, IN_WHEEL, CANCELLED)) {
                    owner.cancelledInWheel();
                    return true;
                }
            } else {
                return false;
            }
        }
    }

    @Override
    public boolean isCancelled() {
        return state == CANCELLED;
    }

    @Override
    public boolean isExpired() {
        return state == EXPIRED;
    }

    boolean isPending() {
        return state < CANCELLED;
    }

    /** True for a {@link #mark()}, which the worker skips. */
    boolean isMark() {
        return owner == null;
    }

    boolean isPeriodic() {
        return periodNanos != 0;
    }

    /** Worker only: takes a handed-over timer into the wheel; false if it was cancelled first. */
    boolean enterWheel() {
        // Read first: most timers arrive cancelled, and a failing CAS costs as much as one that works.
        return state == HANDED_OVER && STATE.compareAndSet(this, HANDED_OVER, IN_WHEEL);
    }

    /** Worker only: claims a due one-shot timer for its run; false if it was cancelled first. */
    boolean expire() {
        return STATE.compareAndSet(this, IN_WHEEL, EXPIRED);
    }

    @Override
    public String toString() {
        return "timer #" + id + " of " + owner.name + " (" + task + ")";
    }
}
