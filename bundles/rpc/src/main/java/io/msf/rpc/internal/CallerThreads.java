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
 *
 * <p>The counter is an {@code int[1]}, a JDK type, never a class of this bundle: the thread keeps the
 * value strongly for as long as it lives (an agent's event loop, another bundle's pool, a Gogo
 * session's thread), and a value of a class of ours would reach, through its class loader and the
 * static field, the thread local that is the entry's weak key. That key would then never be cleared,
 * and every thread that ever made a proxy call would keep this bundle's old class loader after an
 * update or refresh. An {@code int[]} keeps nothing: the key goes with the loader.
 */
final class CallerThreads {

    /** The depth of the proxy calls a thread is in, in its one element; 0: none. */
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private CallerThreads() {
    }

    /**
     * Marks this thread as a caller's until the matching {@link #exit}, which the caller makes in a
     * {@code finally}; returns what to give {@link #exit}.
     */
    static int[] enter() {
        int[] depth = DEPTH.get();
        depth[0]++;
        return depth;
    }

    /** Ends the mark {@link #enter} returned {@code mark} for. */
    static void exit(int[] mark) {
        mark[0]--;
    }

    static boolean isCaller() {
        return DEPTH.get()[0] > 0;
    }
}
