package io.msf.timer.internal;

/**
 * One slot of the wheel: a singly linked list of timers in insertion order. Entries are removed
 * only while the worker walks the list, which knows the predecessor, so one link per timer is
 * enough. Worker thread only.
 */
final class Bucket {

    WheelTimer head;
    private WheelTimer tail;

    void append(WheelTimer timer) {
        if (tail == null) {
            head = timer;
        } else {
            tail.nextInBucket = timer;
        }
        tail = timer;
    }

    /** Unlinks {@code timer}, whose predecessor is {@code previous} (null for the head). */
    void unlink(WheelTimer previous, WheelTimer timer) {
        WheelTimer next = timer.nextInBucket;
        if (previous == null) {
            head = next;
        } else {
            previous.nextInBucket = next;
        }
        if (tail == timer) {
            tail = previous;
        }
        timer.nextInBucket = null;
    }

    /** The entry after {@code previous}, read afresh because a task may have appended meanwhile. */
    WheelTimer after(WheelTimer previous) {
        return previous == null ? head : previous.nextInBucket;
    }
}
