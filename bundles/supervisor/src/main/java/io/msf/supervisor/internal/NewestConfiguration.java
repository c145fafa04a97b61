package io.msf.supervisor.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The configurations delivered to one process, each put in force on a spawning thread under the process's lock:
 * the one delivering them is Config Admin's thread, which delivers every configuration of the container, and a
 * spawn holds the lock for as long as it lasts. Of configurations delivered meanwhile the last one wins, whatever
 * order their threads take the lock in: each task takes whatever is newest, and one that finds it taken waits for
 * the task that took it.
 */
final class NewestConfiguration {

    /** The process's lock, the one its spawns hold. */
    private final Object lock;
    private final Executor spawning;
    /** Whether the process was removed: nothing starts it again. */
    private final BooleanSupplier removed;
    /** Puts a configuration in force, under the lock; completes when it is. */
    private final Function<ProcessSpec, CompletableFuture<Void>> putInForce;
    /** The newest configuration delivered that no task has taken yet, or null; set without the lock. */
    private final AtomicReference<ProcessSpec> newest = new AtomicReference<>();
    /** Completes when the configuration the last task took is in force; guarded by {@link #lock}. */
    private CompletableFuture<Void> newestInForce = CompletableFuture.completedFuture(null);

    NewestConfiguration(Object lock, Executor spawning, BooleanSupplier removed,
            Function<ProcessSpec, CompletableFuture<Void>> putInForce) {
        this.lock = lock;
        this.spawning = spawning;
        this.removed = removed;
        this.putInForce = putInForce;
    }

    /**
     * Returns at once, whatever the process's lock is held for.
     *
     * @return completes when {@code next} (or a newer one) is in force; exceptionally once the supervisor has
     *         stopped, when nothing is started any more
     */
    CompletableFuture<Void> deliver(ProcessSpec next) {
        newest.set(next);
        try {
            return CompletableFuture.supplyAsync(this::takeNewest, spawning).thenCompose(inForce -> inForce);
        } catch (RejectedExecutionException supervisorStopped) {
            return CompletableFuture.failedFuture(supervisorStopped); // removed by then: it starts nothing
        }
    }

    /**
     * Puts the newest configuration delivered in force, if no earlier task has taken it; the task that takes it
     * puts it in force, and one that finds it taken waits for that.
     */
    private CompletableFuture<Void> takeNewest() {
        synchronized (lock) {
            ProcessSpec next = newest.getAndSet(null);
            if (removed.getAsBoolean()) {
                return CompletableFuture.completedFuture(null); // its removal stops it, and closes the output
            }
            if (next == null) {
                return newestInForce; // a task of a later configuration took it
            }
            newestInForce = putInForce.apply(next);
            return newestInForce;
        }
    }
}
