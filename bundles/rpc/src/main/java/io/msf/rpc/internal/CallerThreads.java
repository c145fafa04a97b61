package io.msf.rpc.internal;

/**
 * Marks the thread of a caller waiting in a proxy: in the container the agent runs a synchronous
 * implementation on it. A thread found so is the caller's own, whose interrupt an implementation that
 * gave up a wait must leave set for it; any other thread delivering a request (an event loop serving
 * a socket caller) is not the implementation's to interrupt. Known, not guessed from the thread's kind.
 *
 * <p>Each proxy call marks its thread, so the mark costs one thread-local read and two increments: a
 * per-thread counter of the calls it is in (nested when an implementation calls another proxy), made
 * once per thread and never set or removed again.
 */
final class CallerThreads {

    /** The depth of the proxy calls a thread is in; 0: none. */
    static final class Depth {
        int calls;
    }

    private static final ThreadLocal<Depth> DEPTH = ThreadLocal.withInitial(Depth::new);

    private CallerThreads() {
    }

    /**
     * Marks this thread as a caller's until the matching {@link #exit}, which the caller makes in a
     * {@code finally}; returns what to give {@link #exit}.
     */
    static Depth enter() {
        Depth depth = DEPTH.get();
        depth.calls++;
        return depth;
    }

    /** Ends the mark {@link #enter} returned {@code mark} for. */
    static void exit(Depth mark) {
        mark.calls--;
    }

    static boolean isCaller() {
        return DEPTH.get().calls > 0;
    }
}
