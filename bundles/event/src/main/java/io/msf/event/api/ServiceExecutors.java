package io.msf.event.api;

import java.util.concurrent.ExecutorService;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Thread pools owned by the calling bundle, for work that must not run on the shared event loops
 * (blocking calls, long computations).
 *
 * <p>The service is bundle scoped: the executors a bundle creates are its own. Their threads are
 * named {@code <bundle symbolic name>-<name>-<n>}, are daemon threads, and are counted against the
 * bundle in {@link ThreadAccounting} (threads started, live, and the CPU time they used). When the
 * bundle stops (releases the service) its executors are shut down: tasks still queued are dropped (the
 * futures {@code submit}, {@code invokeAll} and {@code invokeAny} gave for them are cancelled, so that
 * nothing waits on them for ever) and the threads running tasks are interrupted. Only those futures: a
 * task given to {@code execute}, by you or by a library ({@code CompletableFuture.runAsync(task,
 * executor)}, {@code supplyAsync}), is dropped without a word, and a {@code CompletableFuture} waiting on
 * it ({@code join}, {@code get}) waits for ever; complete such futures yourself when you stop. A task that ignores the interrupt runs on (on a
 * daemon thread, still in the bundle's account) until it returns: write tasks that end when
 * interrupted. Shut an executor down yourself when your component deactivates before the bundle
 * stops.
 *
 * <p>A pool's threads are made on the thread that gives it a task, perhaps another bundle's, and keep
 * nothing of it: they have no context class loader (set one in a task that needs it) and inherit none
 * of its inheritable thread locals.
 *
 * <p>The executors returned cannot be reconfigured (they are not {@code ThreadPoolExecutor}s): their
 * size, thread factory and refusal of excess tasks are the container's.
 */
@ProviderType
public interface ServiceExecutors {

    /** Tasks an executor queues per thread before it refuses more. */
    int QUEUED_TASKS_PER_THREAD = 1024;

    /**
     * A fixed pool of {@code threads} threads, started as tasks arrive, with a queue of
     * {@code threads * }{@link #QUEUED_TASKS_PER_THREAD} tasks; a task beyond that is refused with a
     * {@link java.util.concurrent.RejectedExecutionException}, so a producer faster than the pool
     * learns it instead of filling the heap. The queue takes memory as tasks wait in it, not up front.
     *
     * @param name what the pool is for, in its thread names: letters, digits, '.', '_' and '-'
     * @param threads 1 to 256
     * @throws IllegalArgumentException if the name or the thread count is out of bounds
     * @throws IllegalStateException if the bundle already released the service, or if it already has as
     *     many executors not yet ended as the container allows (msf.event maxExecutorsPerBundle, 32 by
     *     default): shut one down first
     */
    ExecutorService executor(String name, int threads);
}
