package io.msf.timer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.concurrent.testing.OwnLoader;
import java.lang.ref.WeakReference;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The timer's thread is made when the engine starts, on whichever thread SCR starts it on (a bundle's,
 * when a hot swap or a refresh brings it up), and lives as long as the engine: it must keep nothing of
 * that thread, whose bundle's class loader would otherwise stay in memory after the bundle is gone.
 */
class TimerThreadTest {

    /** A value the threads a caller makes inherit, as a logging library's context is. */
    private static final InheritableThreadLocal<Object> INHERITED = new InheritableThreadLocal<>();

    private TimerWorker worker;

    @AfterEach
    void stop() throws InterruptedException {
        if (worker != null) {
            worker.stop(5000);
        }
    }

    private static TimerWorker newWorker() {
        return new TimerWorker(new TimerWheel(System::nanoTime, new WheelSettings(10, 512, 10_000),
                new RecordingEvents()), new RecordingEvents());
    }

    @Test
    void theTimerThreadHasNoContextClassLoaderOfTheThreadThatMadeIt() {
        Thread maker = Thread.currentThread();
        ClassLoader own = maker.getContextClassLoader();
        maker.setContextClassLoader(new ClassLoader(null) { });
        try {
            worker = newWorker();
        } finally {
            maker.setContextClassLoader(own);
        }
        worker.start();
        ClassLoader seen = worker.call(wheel -> Thread.currentThread().getContextClassLoader());

        assertThat(seen).isNull();
    }

    @Test
    void theTimerThreadInheritsNoInheritableThreadLocalOfTheThreadThatMadeIt() {
        INHERITED.set("a value of the maker's");
        try {
            worker = newWorker();
        } finally {
            INHERITED.remove();
        }
        worker.start();
        Object seen = worker.call(wheel -> INHERITED.get());

        assertThat(seen).isNull();
    }

    /** On Java 17 a thread keeps the protection domains of the classes on its maker's stack, each with its loader. */
    @Test
    void theTimerThreadKeepsNoLoaderOfAClassThatMadeIt() throws Exception {
        WeakReference<ClassLoader> gone = madeFromALoaderOfItsOwn();
        worker.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return gone.get() == null;
        });
        String answer = worker.call(wheel -> "still running");
        assertThat(answer).isEqualTo("still running");
    }

    private WeakReference<ClassLoader> madeFromALoaderOfItsOwn() throws Exception {
        OwnLoader loader = new OwnLoader();
        worker = (TimerWorker) loader.frame().apply(TimerThreadTest::newWorker);
        return new WeakReference<>(loader);
    }
}
