package io.msf.timer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The hand-over of new timers from any thread to the worker: an intrusive multi-producer,
 * single-consumer queue after Dmitry Vyukov's design. {@link #offer} costs one atomic swap and
 * allocates nothing (the timer is the node); {@link #poll} and {@link #isEmpty} are for the worker
 * only. The producers' end and the worker's end are padded apart: were they on one cache line,
 * every hand-over would pull that line back and forth between the cores.
 */
final class InboundQueue extends InboundQueueHead {

    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(WheelTimer.class, "nextInQueue", WheelTimer.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    long p21, p22, p23, p24, p25, p26, p27, p28; // keeps the next object off the worker's line

    void offer(WheelTimer timer) {
        WheelTimer previous = swapTail(timer);
        // Until this store lands the consumer sees the queue as briefly cut short, never corrupt.
        NEXT.setRelease(previous, timer);
    }

    /** Worker only: the oldest timer, or null if none (or the newest is still being linked). */
    WheelTimer poll() {
        WheelTimer first = head;
        WheelTimer next = (WheelTimer) NEXT.getAcquire(first);
        if (first == stub) {
            if (next == null) {
                return null;
            }
            head = next;
            first = next;
            next = (WheelTimer) NEXT.getAcquire(next);
        }
        if (next != null) {
            return take(first, next);
        }
        if (first != tail()) {
            return null;
        }
        NEXT.set(stub, null);
        offer(stub);
        next = (WheelTimer) NEXT.getAcquire(first);
        return next == null ? null : take(first, next);
    }

    /** Worker only; also the idle check's partner of the producers' swap, hence the volatile read. */
    boolean isEmpty() {
        return head == stub && tail() == stub;
    }

    private WheelTimer take(WheelTimer first, WheelTimer next) {
        head = next;
        // A taken timer may live in the wheel for hours: it must not keep later (maybe garbage)
        // timers reachable through its stale link.
        NEXT.set(first, null);
        return first;
    }
}

// Padding by inheritance: the JVM lays out a superclass's fields before its subclass's, so the
// producers' field and the worker's field each sit between 64-byte pads.

/** Cache-line padding before the producers' end; the int fills the gap after the header. */
abstract class InboundQueueTailPad {
    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08;
}

/** The producers' end of {@link InboundQueue}. */
abstract class InboundQueueTail extends InboundQueueTailPad {

    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(InboundQueueTail.class, "tail", WheelTimer.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Stands in the queue whenever it would otherwise be empty, so producers never meet null. */
    final WheelTimer stub = new WheelTimer(null, null, 0, 0);
    private volatile WheelTimer tail = stub;

    final WheelTimer swapTail(WheelTimer timer) {
        return (WheelTimer) TAIL.getAndSet(this, timer);
    }

    final WheelTimer tail() {
        return tail;
    }
}

/** Cache-line padding between the producers' end and the worker's. */
abstract class InboundQueueHeadPad extends InboundQueueTail {
    long p11, p12, p13, p14, p15, p16, p17, p18;
}

/** The worker's end of {@link InboundQueue}. */
abstract class InboundQueueHead extends InboundQueueHeadPad {
    WheelTimer head = stub;
}
