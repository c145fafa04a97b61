package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.log.Logger;

/** Removing a version whose stop does not return: the deployer's thread told to stop meanwhile. */
class VersionsRemoveTest {

    private final BundleContext context = mock(BundleContext.class);
    private final FrameworkWiring wiring;
    private final Versions versions;

    VersionsRemoveTest() {
        Bundle system = mock(Bundle.class);
        when(context.getBundle(0)).thenReturn(system);
        wiring = FakeWiring.of(system);
        Logger log = mock(Logger.class);
        versions = new Versions(context, null, null, null, () -> null, new Refresher(context, log), null, log);
    }

    private static Bundle bundle(long id) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn("demo");
        when(bundle.getVersion()).thenReturn(Version.parseVersion("1.0.0"));
        when(bundle.getBundleId()).thenReturn(id);
        when(bundle.getState()).thenReturn(Bundle.ACTIVE);
        return bundle;
    }

    /**
     * The deployer deactivated (its thread interrupted) while a bundle's stop runs: the other bundles
     * of the version are uninstalled all the same, as when the uninstall ran on that thread, and all
     * are refreshed once the slow stop has returned.
     */
    @Test
    void interruptedWhileAStopRunsTheOtherBundlesAreUninstalledAndAllRefreshedOnceItReturns() throws Exception {
        Bundle slow = bundle(1);
        Bundle next = bundle(2);
        CountDownLatch stopReturns = new CountDownLatch(1);
        CountDownLatch stopping = new CountDownLatch(1);
        doAnswer(call -> {
            stopping.countDown();
            stopReturns.await();
            return null;
        }).when(slow).uninstall();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread deployer = new Thread(() -> {
            try {
                versions.remove(List.of(slow, next));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        try {
            deployer.start();
            stopping.await();
            deployer.interrupt();
            deployer.join(Duration.ofSeconds(10).toMillis());
            assertThat(deployer.isAlive()).isFalse();
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
            verify(next, timeout(10_000)).uninstall();
            verify(wiring, never()).refreshBundles(anyCollection(), any(FrameworkListener[].class));
        } finally {
            stopReturns.countDown();
        }
        verify(wiring, timeout(10_000)).refreshBundles(eq(List.of(slow, next)), any(FrameworkListener[].class));
    }

    /**
     * A stop that has not returned within the configured limit (msf.deploy.stopLimit) is let go with
     * a WARN naming the limit; the deployer's thread goes on to the next bundle and the refresh comes
     * once the stop returns.
     */
    @Test
    void aStopNotReturnedWithinTheLimitIsLetGoAndTheNextBundleRemoved() throws Exception {
        Logger log = mock(Logger.class);
        Versions limited = new Versions(context, null, null, null, () -> null,
                new Refresher(context, log, Duration.ofMillis(300)), null, log);
        Bundle slow = bundle(1);
        Bundle next = bundle(2);
        CountDownLatch stopReturns = new CountDownLatch(1);
        doAnswer(call -> {
            stopReturns.await();
            return null;
        }).when(slow).uninstall();
        try {
            long started = System.nanoTime();
            limited.remove(List.of(slow, next));

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(300),
                    Duration.ofSeconds(10));
            verify(next).uninstall();
            verify(log).warn(eq("{}"), (Object) argThat(message -> message.toString().startsWith(
                    "demo 1.0.0 [1] did not stop within 300 ms (the deployer's limit for a stop, msf.deploy.stopLimit)")));
            verify(wiring, never()).refreshBundles(anyCollection(), any(FrameworkListener[].class));
        } finally {
            stopReturns.countDown();
        }
        verify(wiring, timeout(10_000)).refreshBundles(eq(List.of(slow, next)), any(FrameworkListener[].class));
    }
}
