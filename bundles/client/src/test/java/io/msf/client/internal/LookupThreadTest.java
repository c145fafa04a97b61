package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.concurrent.testing.OwnLoader;
import io.netty.resolver.AddressResolver;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The host lookup threads, shared by every client of the JVM (in a container, by every bundle that
 * makes one), keep no class loader of the caller whose lookup made them: they live while lookups
 * keep coming, and a loader they held would stay in memory after its bundle is updated or
 * uninstalled. A thread made on another's stack keeps (on Java 17) the protection domains of the
 * classes on it, each with its class loader, and copies its inheritable thread locals.
 */
class LookupThreadTest {

    private static final String THREAD = "msf-client-lookup";
    private static final InheritableThreadLocal<Object> INHERITED = new InheritableThreadLocal<>();

    private final CountDownLatch lookupFree = new CountDownLatch(1);
    private final CountDownLatch lookupBusy = new CountDownLatch(1);
    /**
     * A lookup that holds its thread until the test lets it go; on threads of its own, none yet, so
     * the test's lookup makes one (the JDK lookups' threads, which every client shares, may be there).
     */
    private final HostLookups held = new HostLookups(host -> {
        lookupBusy.countDown();
        try {
            lookupFree.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new InetAddress[] {InetAddress.getLoopbackAddress()};
    });

    /** As a client's connection asks for it: on its event loop, running before the test looks up. */
    private final EventExecutor loop = started(new DefaultEventExecutor());
    private final AddressResolver<InetSocketAddress> resolver = held.getResolver(loop);

    private static EventExecutor started(EventExecutor loop) {
        loop.submit(() -> { }).syncUninterruptibly();
        return loop;
    }

    @AfterEach
    void stopTheLoopAndTheLookupThreads() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        held.close();
    }

    @Test
    void aLookupThreadKeepsNoLoaderOfAClassThatLookedUp() throws Exception {
        assertThat(held.threadCount()).as("lookup threads before the lookup that makes one").isZero();
        awaitCollectedWhileTheLookupRuns(lookedUpFromALoaderOfItsOwn());
    }

    @Test
    void aLookupThreadKeepsNoInheritableThreadLocalOfTheThreadThatMadeIt() throws Exception {
        assertThat(held.threadCount()).as("lookup threads before the lookup that makes one").isZero();
        awaitCollectedWhileTheLookupRuns(lookedUpWithAnInheritedValueOfALoaderOfItsOwn());
    }

    /** Apart, so that no variable of the test's frame keeps the loader. */
    private WeakReference<ClassLoader> lookedUpFromALoaderOfItsOwn() throws Exception {
        OwnLoader loader = new OwnLoader();
        Function<Supplier<Object>, Object> frame = loader.frame();
        frame.apply(this::lookUp);
        lookupBusy.await();
        return new WeakReference<>(loader);
    }

    private WeakReference<ClassLoader> lookedUpWithAnInheritedValueOfALoaderOfItsOwn() throws Exception {
        OwnLoader loader = new OwnLoader();
        INHERITED.set(loader.frame());
        try {
            lookUp();
        } finally {
            INHERITED.remove();
        }
        lookupBusy.await();
        return new WeakReference<>(loader);
    }

    private Object lookUp() {
        return resolver.resolve(InetSocketAddress.createUnresolved("agent", 7420));
    }

    private void awaitCollectedWhileTheLookupRuns(WeakReference<ClassLoader> gone) {
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                System.gc();
                return gone.get() == null;
            });
            assertThat(lookupThreadRuns()).as("the lookup thread, still holding the lookup").isTrue();
        } finally {
            lookupFree.countDown();
        }
    }

    /** The lookups' own thread, made for this test's lookups (the JVM's shared ones are another pool). */
    private boolean lookupThreadRuns() {
        return held.threadCount() == 1
                && Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().equals(THREAD));
    }
}
