package io.msf.deploy.internal;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.wiring.FrameworkWiring;

/** The framework's wiring for tests of the refresh: every bundle depends on itself alone, a refresh ends at once. */
final class FakeWiring {

    private FakeWiring() {
    }

    /** A wiring adapted from {@code system}, telling its refresh listeners PACKAGES_REFRESHED right away. */
    static FrameworkWiring of(Bundle system) {
        FrameworkWiring wiring = mock(FrameworkWiring.class);
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
        return wiring;
    }
}
