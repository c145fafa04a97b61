package io.msf.supervisor.internal;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;

/** A {@link ProcessSupervisor} as the bundle would make it, its home a test's folder and its data folder {@code data} in it. */
final class TestSupervisors {

    private TestSupervisors() {
    }

    static ProcessSupervisor at(Path home) throws IOException {
        return at(home, mock(Logger.class));
    }

    /** As {@link #at(Path)}, logging to {@code log}. */
    static ProcessSupervisor at(Path home, Logger log) throws IOException {
        BundleContext context = mock(BundleContext.class);
        when(context.getProperty("msf.home")).thenReturn(home.toString());
        when(context.getProperty("msf.data")).thenReturn(home.resolve("data").toString());
        return new ProcessSupervisor(context, log);
    }
}
