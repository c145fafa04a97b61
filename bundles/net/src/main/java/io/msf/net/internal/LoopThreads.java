package io.msf.net.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;

/** Whether the caller is one of a group's loops: a thread that must not wait for that group's work. */
final class LoopThreads {

    private LoopThreads() {
    }

    /** Whether the calling thread is one of {@code group}'s loops. */
    static boolean onOneOf(EventExecutorGroup group) {
        for (EventExecutor loop : group) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return false;
    }
}
