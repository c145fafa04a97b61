package io.msf.event.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.concurrent.testing.OwnLoader;
import io.msf.event.api.Transport;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A loop's thread is started by the first task given to it, on the thread of whichever bundle gave it,
 * and lives as long as its group, the container's life: it must keep nothing of that bundle, whose
 * class loader would otherwise stay in memory after the bundle is updated or uninstalled.
 */
class LoopThreadFactoryTest {

    /** A value the threads a caller makes inherit, as a logging library's context is. */
    private static final InheritableThreadLocal<Object> INHERITED = new InheritableThreadLocal<>();

    private final NamedLoopGroup group = new NamedLoopGroup("io", Transport.NIO, 1);

    @AfterEach
    void stop() throws Exception {
        group.shutDown(0, 0, TimeUnit.MILLISECONDS).await(10, TimeUnit.SECONDS);
    }

    @Test
    void aLoopThreadHasNoContextClassLoaderOfTheThreadThatStartedIt() throws Exception {
        Thread submitter = Thread.currentThread();
        ClassLoader own = submitter.getContextClassLoader();
        submitter.setContextClassLoader(new ClassLoader(null) { });
        io.netty.util.concurrent.Future<ClassLoader> seen;
        try {
            seen = group.group().submit(() -> Thread.currentThread().getContextClassLoader());
        } finally {
            submitter.setContextClassLoader(own);
        }

        assertThat(seen.get(5, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aLoopThreadInheritsNoInheritableThreadLocalOfTheThreadThatStartedIt() throws Exception {
        io.netty.util.concurrent.Future<Object> seen;
        INHERITED.set("a value of the submitter's");
        try {
            seen = group.group().submit(INHERITED::get);
        } finally {
            INHERITED.remove();
        }

        assertThat(seen.get(5, TimeUnit.SECONDS)).isNull();
    }

    /**
     * A loop's first task given by another loop of the group (a channel registered from a handler, say):
     * its thread is made there, the giving loop waiting for the short-lived maker thread, which needs
     * no loop, so the two cannot wait on each other; and it inherits nothing of the giving loop either.
     */
    @Test
    void aLoopThreadStartedFromAnotherLoopIsMadeAndInheritsNothingOfIt() throws Exception {
        NamedLoopGroup two = new NamedLoopGroup("pair", Transport.NIO, 2);
        try {
            io.netty.util.concurrent.EventExecutor first = two.group().next();
            io.netty.util.concurrent.EventExecutor second = two.group().next();
            assertThat(second).isNotSameAs(first);
            Object seen = first.submit(() -> {
                INHERITED.set("a value of the first loop's");
                return second.submit(INHERITED::get).get(5, TimeUnit.SECONDS);
            }).get(10, TimeUnit.SECONDS);

            assertThat(seen).isNull();
        } finally {
            two.shutDown(0, 0, TimeUnit.MILLISECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    /** On Java 17 a thread keeps the protection domains of the classes on its maker's stack, each with its loader. */
    @Test
    void aLoopThreadKeepsNoLoaderOfAClassThatStartedIt() throws Exception {
        WeakReference<ClassLoader> gone = submitFromALoaderOfItsOwn();

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return gone.get() == null;
        });
        assertThat(group.group().submit(() -> "still running").get(5, TimeUnit.SECONDS)).isEqualTo("still running");
    }

    private WeakReference<ClassLoader> submitFromALoaderOfItsOwn() throws Exception {
        OwnLoader loader = new OwnLoader();
        io.netty.util.concurrent.Future<?> ran = (io.netty.util.concurrent.Future<?>) loader.frame()
                .apply(() -> group.group().submit(() -> { }));
        ran.get(5, TimeUnit.SECONDS);
        return new WeakReference<>(loader);
    }
}
