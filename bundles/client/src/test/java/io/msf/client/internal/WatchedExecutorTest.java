package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which tasks the watch takes back as dropped: those an executor has shown it will not run, not
 * those still waiting behind a backlog of an executor it cannot look into. Every task here has
 * waited longer than the watch allows (1 ns).
 */
class WatchedExecutorTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final List<String> dropped = new CopyOnWriteArrayList<>();
    private ExecutorService pool;

    @AfterEach
    void stop() {
        release.countDown();
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** Executors.newSingleThreadExecutor() hides its ThreadPoolExecutor: it is slow, and drops nothing. */
    @Test
    void aTaskBehindTheBacklogOfAWrappedPoolIsNotTakenAsDropped() {
        pool = Executors.newSingleThreadExecutor();
        assertWaitingTasksAreNotTakenBack(pool);
    }

    /** A scheduled pool's queue holds its own wrappers of the tasks, not the tasks. */
    @Test
    void aTaskBehindTheBacklogOfAScheduledPoolIsNotTakenAsDropped() {
        pool = new ScheduledThreadPoolExecutor(1);
        assertWaitingTasksAreNotTakenBack(pool);
    }

    /** A pool that wraps what it is given (to carry a context along, say) holds its wrappers, not the tasks. */
    @Test
    void aTaskBehindTheBacklogOfAPoolThatWrapsItsTasksIsNotTakenAsDropped() {
        pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>()) {
            @Override
            public void execute(Runnable task) {
                super.execute(() -> task.run());
            }
        };
        assertWaitingTasksAreNotTakenBack(pool);
    }

    /** An executor that ran a later task but not an earlier one has dropped the earlier one. */
    @Test
    void aTaskAnExecutorSkippedIsTakenAsDroppedOnceALaterOneRan() {
        Executor dropsTheFirst = new Executor() {
            private boolean first = true;

            @Override
            public void execute(Runnable task) {
                if (!first) {
                    task.run();
                }
                first = false;
            }
        };
        WatchedExecutor watched = new WatchedExecutor(dropsTheFirst, 1);
        give(watched, "skipped");
        give(watched, "later");

        watched.reclaimStalled();
        // on a pool of several threads the earlier one may be starting just now, a moment behind
        assertThat(dropped).isEmpty();
        watched.reclaimStalled();

        assertThat(ran).containsExactly("later");
        assertThat(dropped).containsExactly("skipped");
    }

    /**
     * A pool's worker takes a task out of the queue a moment before it starts it: a look in that
     * moment finds it neither queued nor started. Only a task found so at two looks in a row is
     * taken as dropped.
     */
    @Test
    void aTaskOutOfAPlainPoolsQueueButNotYetStartedIsNotTakenAsDroppedAtTheFirstLook() {
        ThreadPoolExecutor plain = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
        pool = plain;
        WatchedExecutor watched = new WatchedExecutor(plain, 1);
        plain.execute(this::awaitRelease); // its one thread is busy; what follows waits in the queue
        give(watched, "taken by a worker");
        List<Runnable> dequeued = new ArrayList<>();
        plain.getQueue().drainTo(dequeued); // as the worker does just before it runs the task

        watched.reclaimStalled();
        dequeued.forEach(Runnable::run); // the worker goes on

        assertThat(ran).containsExactly("taken by a worker");
        assertThat(dropped).isEmpty();
    }

    /** A task a plain pool dropped (not queued, never started) is taken as dropped at the second look. */
    @Test
    void aTaskAPlainPoolDroppedIsTakenAsDroppedAtTheSecondLook() {
        ThreadPoolExecutor discarding = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
                new ThreadPoolExecutor.DiscardPolicy());
        pool = discarding;
        WatchedExecutor watched = new WatchedExecutor(discarding, 1);
        discarding.execute(this::awaitRelease);
        give(watched, "discarded");

        watched.reclaimStalled();
        assertThat(dropped).isEmpty();
        watched.reclaimStalled();

        assertThat(dropped).containsExactly("discarded");
        assertThat(ran).isEmpty();
    }

    private void assertWaitingTasksAreNotTakenBack(ExecutorService executor) {
        WatchedExecutor watched = new WatchedExecutor(executor, 1);
        executor.execute(this::awaitRelease); // its one thread is busy; what follows waits
        give(watched, "a");
        give(watched, "b");

        watched.reclaimStalled();
        release.countDown();

        await().untilAsserted(() -> assertThat(ran).containsExactly("a", "b"));
        assertThat(dropped).isEmpty();
    }

    private void give(WatchedExecutor watched, String name) {
        watched.execute(() -> ran.add(name), (RejectedExecutionException e) -> dropped.add(name));
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
