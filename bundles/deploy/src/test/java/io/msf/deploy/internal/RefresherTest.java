package io.msf.deploy.internal;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.log.Logger;

/** Refreshing the bundles a deployment removed. */
class RefresherTest {

    private final AtomicBoolean deployerStopped = new AtomicBoolean();
    private final BundleContext context = mock(BundleContext.class);
    private final Bundle system = mock(Bundle.class);
    private final FrameworkWiring wiring = mock(FrameworkWiring.class);

    RefresherTest() {
        when(context.getBundle(0)).thenAnswer(call -> {
            if (deployerStopped.get()) {
                throw new IllegalStateException("Invalid BundleContext.");
            }
            return system;
        });
        when(system.adapt(FrameworkWiring.class)).thenReturn(wiring);
        when(wiring.getDependencyClosure(anyCollection())).thenAnswer(call -> call.getArgument(0));
        doAnswer(call -> {
            for (Object argument : call.getArguments()) {
                if (argument instanceof FrameworkListener listener) {
                    listener.frameworkEvent(new FrameworkEvent(FrameworkEvent.PACKAGES_REFRESHED, system, null));
                }
            }
            return null;
        }).when(wiring).refreshBundles(anyCollection(), any(FrameworkListener[].class));
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
}
