package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.msf.concurrent.testing.OwnLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/** The class loaders of removed bundles, watched until collected: those a thread keeps are named. */
class LeftLoadersTest {

    private final Logger log = mock(Logger.class);
    private final AtomicLong collections = new AtomicLong();
    private final LeftLoaders left = new LeftLoaders(collections::get, Thread::getAllStackTraces, name -> List.of(),
            log);
    /** What a removed bundle's loader is here; let go by a test that wants it collected. */
    private OwnLoader serviceLoader = new OwnLoader(Parked.class.getName()::equals);
    private Thread parked;

    @AfterEach
    void endTheThread() throws InterruptedException {
        if (parked != null) {
            parked.interrupt();
            parked.join(10_000);
        }
    }

    /**
     * The end-to-end run's leak: a service started a thread of its own (a class its loader loaded runs
     * on it) and never stopped it. The removed version's loader stayed in memory, and nothing said so.
     */
    @Test
    void namesTheThreadThatKeepsARemovedBundlesLoader() throws Exception {
        parked = startParkedThreadOf(serviceLoader);
        left.watch("hello", "hello 2.0.0 [51]", serviceLoader);

        checkUntilLeaked();

        assertThat(left.warnings()).singleElement().asString()
                .startsWith("hello 2.0.0 [51]: removed, but its class loader")
                .contains("'hello-leaked-thread' (at " + Parked.class.getName() + ".run)");
        verify(log, times(1)).warn(anyString(), (Object) contains("hello-leaked-thread"));
    }

    /**
     * A hot swap of a service that stops its thread and starts it again in its new version: the new
     * version's thread runs a class of the same name, which the removed loader (not yet collected) also
     * defined. That frame proves nothing, and the removed version is not told of.
     */
    @Test
    void aThreadOfTheVersionThatTookItsPlaceIsNoLeak() throws Exception {
        OwnLoader newVersion = new OwnLoader(Parked.class.getName()::equals);
        parked = startParkedThreadOf(newVersion);
        LeftLoaders left = new LeftLoaders(collections::get, Thread::getAllStackTraces,
                name -> name.equals("hello") ? List.of(newVersion) : List.of(), log);
        serviceLoader.loadClass(Parked.class.getName()); // the removed version ran it too
        left.watch("hello", "hello 2.0.0 [51]", serviceLoader);

        for (int i = 0; i < LeftLoaders.CHECKS_BEFORE_LEAK * 2; i++) {
            left.check();
            collections.incrementAndGet();
        }

        assertThat(left.warnings()).isEmpty();
    }

    /** Once the thread ends and nothing refers to the loader, it is collected: the warning goes. */
    @Test
    void theWarningGoesOnceTheLoaderIsCollected() throws Exception {
        parked = startParkedThreadOf(serviceLoader);
        left.watch("hello", "hello 2.0.0 [51]", serviceLoader);
        checkUntilLeaked();
        assertThat(left.warnings()).hasSize(1);

        parked.interrupt();
        parked.join(10_000);
        parked = null;
        serviceLoader = null;

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            left.check();
            return left.warnings().isEmpty();
        });
        verify(log).info(anyString(), (Object) contains("hello 2.0.0 [51]"));
    }

    /**
     * A loader no thread holds, still reachable: not told of, as it cannot be told from one awaiting the
     * collection that unloads classes (young collections, counted here, do not).
     */
    @Test
    void aLoaderNoThreadHoldsIsNoWarning() {
        left.watch("hello", "hello 2.0.0 [51]", serviceLoader);

        checkUntilLeaked();
        checkUntilLeaked();

        assertThat(left.warnings()).isEmpty();
        verify(log, never()).warn(anyString(), (Object) any());
    }

    /** The thread that held a loader ends, the loader not yet collected: the warning goes with the thread. */
    @Test
    void theWarningGoesWithTheThreadThatHeldTheLoader() throws Exception {
        parked = startParkedThreadOf(serviceLoader);
        left.watch("hello", "hello 2.0.0 [51]", serviceLoader);
        checkUntilLeaked();
        assertThat(left.warnings()).hasSize(1);

        parked.interrupt();
        parked.join(10_000);
        parked = null;
        left.check();

        assertThat(left.warnings()).isEmpty();
        verify(log).info(anyString(), (Object) contains("hello 2.0.0 [51]"));
    }

    /** A loader taken before its bundle's uninstall and again before the refresh that followed: watched once. */
    @Test
    void aLoaderIsWatchedOnce() throws Exception {
        parked = startParkedThreadOf(serviceLoader);
        left.watch("hello", "hello 2.0.0 [51]", serviceLoader);
        left.watch("hello", "hello 2.0.0 [51]", serviceLoader);

        checkUntilLeaked();

        assertThat(left.warnings()).hasSize(1);
    }

    /** Surviving checks is not enough: no garbage collection ran meanwhile, so nothing is said. */
    @Test
    void aLoaderIsNotLeakedBeforeAGarbageCollection() {
        left.watch("hello", "hello 2.0.0 [51]", serviceLoader);

        for (int i = 0; i < LeftLoaders.CHECKS_BEFORE_LEAK * 2; i++) {
            left.check();
        }

        assertThat(left.warnings()).isEmpty();
    }

    /**
     * At most so many loaders are watched: the oldest is let go. Each loader here defines its own {@link
     * Parked}, so the one frame every check sees running it holds them all.
     */
    @Test
    void watchesABoundedNumberOfLoaders() {
        StackTraceElement parkedFrame = new StackTraceElement(Parked.class.getName(), "run", null, -1);
        LeftLoaders left = new LeftLoaders(collections::get,
                () -> Map.of(Thread.currentThread(), new StackTraceElement[] {parkedFrame}), name -> List.of(), log);
        left.watch("first", "first 1.0.0 [1]", serviceLoader);
        List<ClassLoader> others = new ArrayList<>();
        for (int i = 0; i < LeftLoaders.MAX_WATCHED; i++) {
            others.add(new OwnLoader(Parked.class.getName()::equals));
            left.watch("other", "other 1.0." + i + " [" + (i + 2) + "]", others.get(i));
        }

        for (int i = 0; i < LeftLoaders.CHECKS_BEFORE_LEAK; i++) {
            left.check();
            collections.incrementAndGet();
        }

        assertThat(left.warnings()).hasSize(LeftLoaders.MAX_WATCHED).noneMatch(w -> w.startsWith("first"));
        assertThat(others).hasSize(LeftLoaders.MAX_WATCHED); // kept until here
    }

    private void checkUntilLeaked() {
        for (int i = 0; i < LeftLoaders.CHECKS_BEFORE_LEAK; i++) {
            left.check();
            collections.incrementAndGet();
        }
    }

    /** A thread named as the leaked one, running {@link Parked} as the given loader loaded it. */
    private Thread startParkedThreadOf(OwnLoader loader) throws Exception {
        Runnable task = (Runnable) loader.loadClass(Parked.class.getName()).getConstructor().newInstance();
        Thread thread = new Thread(task, "hello-leaked-thread");
        thread.setDaemon(true);
        // held by its stack alone, as a thread started by a DS component's activate is
        thread.setContextClassLoader(null);
        thread.start();
        await().until(() -> thread.getState() == Thread.State.WAITING);
        return thread;
    }

    /** What a service's own thread runs until interrupted. */
    public static final class Parked implements Runnable {
        @Override
        public void run() {
            while (!Thread.interrupted()) {
                LockSupport.park(this);
            }
        }
    }
}
