package io.msf.rpc.internal;

import java.util.function.Supplier;

/**
 * Marks the thread of a caller waiting in a proxy: in the container the agent runs a synchronous
 * implementation on it. A thread found so is the caller's own, whose interrupt an implementation that
 * gave up a wait must leave set for it; any other thread delivering a request (an event loop serving
 * a socket caller) is not the implementation's to interrupt. Known, not guessed from the thread's kind.
 */
final class CallerThreads {

    private static final ThreadLocal<Boolean> CALLING = new ThreadLocal<>();

    private CallerThreads() {
    }

    /** Marks this thread for the time of {@code call}; the mark is gone afterwards, nested calls or not. */
    static <T> T calling(Supplier<T> call) {
        boolean outer = CALLING.get() != null;
        CALLING.set(Boolean.TRUE);
        try {
            return call.get();
        } finally {
            if (!outer) {
                CALLING.remove();
            }
        }
    }

    static boolean isCaller() {
        return CALLING.get() != null;
    }
}
