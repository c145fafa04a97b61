package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;

/** Once the container stops (its drain has begun), no version is let take requests any more. */
class VersionsContainerStopTest {

    /**
     * A version a step brought up while the drain ran was released: it took requests the drain did not wait
     * for, and was stopped with them.
     */
    @Test
    void aVersionIsReleasedUntilTheContainerStopsAndNotAfter() {
        RecordedRoutes routes = new RecordedRoutes();
        Logger log = mock(Logger.class);
        BundleContext context = mock(BundleContext.class);
        when(context.getBundle(0)).thenReturn(mock(Bundle.class));
        Versions versions = new Versions(context, null, null, null, () -> routes, new Refresher(context, log), null, log);
        Bundle before = bundle(7);
        Bundle after = bundle(8);

        versions.release(List.of(before));
        assertThat(versions.containerStopping()).isFalse();
        versions.containerStops();
        versions.release(List.of(after));
        versions.hold(List.of(after));

        assertThat(versions.containerStopping()).isTrue();
        assertThat(routes.calls).containsExactly("release 7", "hold 8");
    }

    private static Bundle bundle(long id) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        return bundle;
    }
}
