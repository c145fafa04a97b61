package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.log.Logger;

/** Starting a running version again after a stop by hand, when a bundle's start does not return. */
class VersionsStartAgainTest {

    /**
     * The version stopped by hand is still the service's: its bundles are stopped again once the
     * start returns, not removed, and the reason says so.
     */
    @Test
    void aStartAgainThatDoesNotReturnSaysTheBundlesAreStoppedAgainOnceItReturns() throws Exception {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn("demo");
        when(bundle.getVersion()).thenReturn(Version.parseVersion("1.0.0"));
        when(bundle.getBundleId()).thenReturn(42L);
        CountDownLatch released = new CountDownLatch(1);
        doAnswer(call -> {
            released.await();
            return null;
        }).when(bundle).start();
        Logger log = mock(Logger.class);
        BundleContext context = mock(BundleContext.class);
        when(context.getBundle(0)).thenReturn(mock(Bundle.class));
        Versions versions = new Versions(context, null, null, null, () -> null, new Refresher(context, log), null, log);
        ServiceSpec spec = new ServiceSpec("demo", List.of("repo/demo-1.0.0.jar"), "", 10, true, "demo",
                Duration.ofMillis(200), Duration.ofMillis(200), Map.of());
        try {
            assertThatThrownBy(() -> versions.startAgain(spec, List.of(bundle), progress -> { }))
                    .isInstanceOf(DeployException.class)
                    .hasMessageStartingWith("demo 1.0.0 [42] did not start within 200 ms (healthTimeoutMillis)")
                    .hasMessageEndingWith("; it is stopped again once its start returns");
            verify(bundle, never()).stop();
        } finally {
            released.countDown();
        }
        verify(bundle, timeout(10_000)).stop();
        verify(bundle, never()).uninstall();
    }
}
