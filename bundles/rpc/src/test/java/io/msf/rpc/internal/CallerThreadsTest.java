package io.msf.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.concurrent.testing.OwnLoader;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The mark a proxy call leaves on its thread keeps nothing of this bundle: the thread (an agent's
 * event loop, another bundle's pool, a Gogo session's) outlives an update or refresh of the rpc
 * bundle, and a value of one of its classes would keep its old class loader in memory for as long.
 */
class CallerThreadsTest {

    /**
     * Before, the value was of a class of the bundle, which through its loader and the static field
     * kept the thread local's weak key reachable: the entry, and the loader, stayed with the thread.
     */
    @Test
    void aThreadThatMadeACallKeepsNoLoaderOfTheBundle() throws Exception {
        ExecutorService lives = Executors.newSingleThreadExecutor(task -> new Thread(task, "outlives-the-bundle"));
        try {
            WeakReference<ClassLoader> gone = callOnAThreadFromALoaderOfItsOwn(lives);

            await().atMost(Duration.ofSeconds(10)).until(() -> {
                System.gc();
                return gone.get() == null;
            });
        } finally {
            lives.shutdown();
            assertThat(lives.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Marks a thread that stays as a caller's, then unmarks it, with CallerThreads of a loader of its own. */
    private static WeakReference<ClassLoader> callOnAThreadFromALoaderOfItsOwn(ExecutorService thread)
            throws Exception {
        // defines CallerThreads and its nested classes itself, as the rpc bundle's loader does
        ClassLoader bundle = new OwnLoader(OwnLoader.classAndNested(CallerThreads.class));
        Class<?> callerThreads = bundle.loadClass(CallerThreads.class.getName());
        assertThat(callerThreads.getClassLoader()).isSameAs(bundle);
        Method enter = callerThreads.getDeclaredMethod("enter");
        Method exit = callerThreads.getDeclaredMethod("exit", enter.getReturnType());
        Method isCaller = callerThreads.getDeclaredMethod("isCaller");
        enter.setAccessible(true); // another loader's package: package-private no longer reaches it
        exit.setAccessible(true);
        isCaller.setAccessible(true);
        boolean marked = thread.submit(() -> {
            Object mark = enter.invoke(null);
            try {
                return (Boolean) isCaller.invoke(null);
            } finally {
                exit.invoke(null, mark);
            }
        }).get(5, TimeUnit.SECONDS);
        assertThat(marked).isTrue();
        assertThat(thread.submit(() -> (Boolean) isCaller.invoke(null)).get(5, TimeUnit.SECONDS)).isFalse();
        return new WeakReference<>(bundle);
    }
}
