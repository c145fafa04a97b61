package io.msf.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.concurrent.testing.OwnLoader;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DetachedThreadsTest {

    /** A thread group of a bundle's own class, as a bundle that groups its threads may make. */
    public static final class BundleGroup extends ThreadGroup {

        public BundleGroup() {
            super("a bundle's threads");
            setDaemon(true); // gone with its last thread, as a bundle that cleans up leaves it
        }
    }

    /**
     * A thread is put in the group of the thread that makes it: the timer's thread, made on a bundle's thread
     * in a group of the bundle's class, held that group, and through its class the bundle's class loader, for
     * as long as the container ran (and sent its uncaught exceptions to the bundle's group).
     */
    @Test
    void aDetachedThreadKeepsNoThreadGroupOfTheThreadThatMadeIt() throws Exception {
        CountDownLatch end = new CountDownLatch(1);
        AtomicReference<Thread> made = new AtomicReference<>();
        try {
            WeakReference<ClassLoader> gone = madeInAGroupOfALoaderOfItsOwn(end, made);

            await().atMost(Duration.ofSeconds(10)).until(() -> {
                System.gc();
                return gone.get() == null;
            });
            assertThat(made.get().isAlive()).isTrue();
        } finally {
            end.countDown();
        }
    }

    @Test
    void aDetachedThreadHasTheNormalPriorityWhateverItsMakers() throws Exception {
        AtomicReference<Thread> made = new AtomicReference<>();
        Thread maker = new Thread(() -> made.set(DetachedThreads.newThread(() -> { }, "detached")), "low");
        maker.setPriority(Thread.MIN_PRIORITY);
        maker.start();
        maker.join();

        assertThat(made.get().getPriority()).isEqualTo(Thread.NORM_PRIORITY);
    }

    private static WeakReference<ClassLoader> madeInAGroupOfALoaderOfItsOwn(CountDownLatch end,
            AtomicReference<Thread> made) throws Exception {
        OwnLoader loader = new OwnLoader(OwnLoader.classAndNested(BundleGroup.class));
        ThreadGroup group = (ThreadGroup) loader.loadClass(BundleGroup.class.getName()).getConstructor().newInstance();
        assertThat(group.getClass().getClassLoader()).isSameAs(loader);
        Thread maker = new Thread(group, () -> {
            Thread detached = DetachedThreads.newThread(() -> awaitQuietly(end), "detached");
            detached.start();
            made.set(detached);
        }, "a bundle's thread");
        maker.start();
        maker.join();
        return new WeakReference<>(loader);
    }

    private static void awaitQuietly(CountDownLatch end) {
        try {
            end.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
