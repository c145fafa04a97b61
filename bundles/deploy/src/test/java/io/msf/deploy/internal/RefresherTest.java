package io.msf.deploy.internal;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.log.Logger;

/** Refreshing the bundles a deployment removed. */
class RefresherTest {

    private final AtomicBoolean deployerStopped = new AtomicBoolean();
    private final BundleContext context = mock(BundleContext.class);
    private final Bundle system = mock(Bundle.class);
    private final FrameworkWiring wiring = FakeWiring.of(system);

    RefresherTest() {
        when(context.getBundle(0)).thenAnswer(call -> {
            if (deployerStopped.get()) {
                throw new IllegalStateException("Invalid BundleContext.");
            }
            return system;
        });
    }

    private static Bundle bundle(long id, int state) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        when(bundle.getState()).thenReturn(state);
        return bundle;
    }

    /**
     * A stop that returned only after the deployer had stopped: its removal's refresh runs on the
     * stop's thread, when the deployer's context throws. The bundles were left unrefreshed.
     */
    @Test
    void aRefreshAfterTheDeployerStoppedStillRefreshes() throws Exception {
        Refresher refresher = new Refresher(context, mock(Logger.class));
        deployerStopped.set(true);
        Bundle gone = bundle(7, Bundle.UNINSTALLED);
        refresher.refresh(List.of(gone));
        verify(wiring).refreshBundles(eq(List.of(gone)), any(FrameworkListener[].class));
    }

    /**
     * Felix's refresh holds the global lock while it waits, without a limit, for the lock of each
     * bundle it refreshes: one whose start has not returned (a version failed while its activator
     * runs, wired to the removed bundles) would freeze every bundle operation. The refresh waits for
     * it, on a thread of its own, and the caller goes on.
     */
    @Test
    void aRefreshIncludingABundleWhoseStartHasNotReturnedWaitsForItOnAnotherThread() throws Exception {
        Bundle gone = bundle(7, Bundle.UNINSTALLED);
        AtomicInteger stuckState = new AtomicInteger(Bundle.STARTING);
        Bundle stuck = bundle(8, Bundle.STARTING);
        when(stuck.getState()).thenAnswer(call -> stuckState.get());
        when(wiring.getDependencyClosure(anyCollection())).thenReturn(List.of(gone, stuck));
        Refresher refresher = new Refresher(context, mock(Logger.class));

        refresher.refresh(List.of(gone));
        Thread.sleep(300);
        verify(wiring, never()).refreshBundles(anyCollection(), any(FrameworkListener[].class));

        stuckState.set(Bundle.ACTIVE);
        verify(wiring, timeout(10_000)).refreshBundles(eq(List.of(gone)), any(FrameworkListener[].class));
    }

    /** Likewise a bundle whose stop has not returned; still so at the limit, the refresh is left, with a WARN. */
    @Test
    void aRefreshIncludingABundleStillStoppingAtTheLimitIsLeft() throws Exception {
        Bundle gone = bundle(7, Bundle.UNINSTALLED);
        Bundle stopping = bundle(8, Bundle.STOPPING);
        when(wiring.getDependencyClosure(anyCollection())).thenReturn(List.of(gone, stopping));
        Logger log = mock(Logger.class);
        Refresher refresher = new Refresher(context, log, Duration.ofMillis(300));

        refresher.refresh(List.of(gone));
        verify(log, timeout(10_000)).warn(contains("left"), any(Object[].class));
        verify(wiring, never()).refreshBundles(anyCollection(), any(FrameworkListener[].class));
    }

    /** A bundle waiting in STARTING for its lazy activation holds no lock: the refresh goes ahead at once. */
    @Test
    void aBundleAwaitingLazyActivationDoesNotHoldTheRefreshUp() throws Exception {
        Bundle gone = bundle(7, Bundle.UNINSTALLED);
        Bundle lazy = bundle(8, Bundle.STARTING);
        BundleStartLevel startLevel = mock(BundleStartLevel.class);
        when(startLevel.isActivationPolicyUsed()).thenReturn(true);
        when(lazy.adapt(BundleStartLevel.class)).thenReturn(startLevel);
        Hashtable<String, String> headers = new Hashtable<>();
        headers.put(Constants.BUNDLE_ACTIVATIONPOLICY, Constants.ACTIVATION_LAZY);
        when(lazy.getHeaders("")).thenReturn(headers);
        when(wiring.getDependencyClosure(anyCollection())).thenReturn(List.of(gone, lazy));

        new Refresher(context, mock(Logger.class)).refresh(List.of(gone));
        verify(wiring).refreshBundles(eq(List.of(gone)), any(FrameworkListener[].class));
    }
}
