package io.msf.supervisor.internal;

import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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

    /**
     * The pid of the run of process {@code name}, once it has one: a process added starts on a spawning thread,
     * not on the thread that adds it (Config Admin's).
     */
    static long startedPid(ProcessSupervisor supervisor, String name) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.process(name).pid(), pid -> pid > 0);
    }
}
