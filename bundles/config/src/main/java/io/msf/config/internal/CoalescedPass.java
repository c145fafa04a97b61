package io.msf.config.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pass over some state, run on an executor of its own rather than on the thread that asks for it,
 * once for any number of requests made before it starts: a request made while a pass runs asks for one
 * more, since that pass may have read the state before the change requested it. A refresh of many
 * bundles thus makes one or two passes, not one each, and holds up none of the threads that asked.
 */
final class CoalescedPass {

    private final Executor executor;
    private final Runnable pass;
    /** A pass is queued and not started yet: later requests are served by it. */
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean stopped;

    /** @param executor runs one pass after another (a single thread), never two at once */
    CoalescedPass(Executor executor, Runnable pass) {
        this.executor = executor;
        this.pass = pass;
    }

    /** Asks for a pass soon; returns at once. */
    void request() {
        if (stopped || !pending.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::run);
        } catch (RejectedExecutionException e) {
            pending.set(false); // the executor is shutting down: nothing is checked any more
        }
    }

    /** No pass starts from now on; one running finishes, unless it asks {@link #stopped} as it goes. */
    void stop() {
        stopped = true;
    }

    /** Whether {@link #stop} was called: a pass under way may end early then. */
    boolean stopped() {
        return stopped;
    }

    private void run() {
        pending.set(false);
        if (!stopped) {
            pass.run();
        }
    }
}
