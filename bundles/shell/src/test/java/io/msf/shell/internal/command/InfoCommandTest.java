package io.msf.shell.internal.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.event.api.Transport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;

class InfoCommandTest {

    private final BundleContext context = LogCommandsTest.bundles("org.apache.felix.framework", "io.msf.shell",
            "com.example.app", "io.netty.transport-native-epoll");

    InfoCommandTest() {
        Bundle shell = mock(Bundle.class);
        when(shell.getVersion()).thenReturn(Version.parseVersion("0.1.0.SNAPSHOT"));
        Bundle framework = mock(Bundle.class);
        when(framework.getSymbolicName()).thenReturn("org.apache.felix.framework");
        when(framework.getVersion()).thenReturn(Version.parseVersion("7.0.5"));
        when(context.getBundle()).thenReturn(shell);
        when(context.getBundle(0)).thenReturn(framework);
        when(context.getProperty("msf.data")).thenReturn("/var/lib/msf");
        Bundle resolved = context.getBundles()[2];
        when(resolved.getState()).thenReturn(Bundle.RESOLVED);
        Bundle fragment = context.getBundles()[3];
        when(fragment.getState()).thenReturn(Bundle.RESOLVED);
        BundleRevision fragmentRevision = mock(BundleRevision.class);
        when(fragmentRevision.getTypes()).thenReturn(BundleRevision.TYPE_FRAGMENT);
        when(fragment.adapt(BundleRevision.class)).thenReturn(fragmentRevision);
    }

    @Test
    void describesTheContainer() {
        CoreServices services = TestServices.Fixed.none().with(new TestServices.Loops(Transport.EPOLL, List.of()));

        String out = new InfoCommand(context, services).info();

        assertThat(out.lines()).contains(
                "msf          0.1.0.SNAPSHOT",
                "framework    org.apache.felix.framework 7.0.5",
                "pid          " + ProcessHandle.current().pid(),
                "data dir     /var/lib/msf",
                "bundles      2 active of 4, 1 fragment (lb lists the others)",
                "event loops  EPOLL");
        assertThat(out).containsPattern("java {9}" + System.getProperty("java.version") + " \\(")
                .containsPattern("uptime {7}\\d")
                .containsPattern("heap {9}[0-9.]+ [KMG]?i?B used, [0-9.]+ [KMG]?i?B committed, (max|no max)")
                .containsPattern("non-heap {5}[0-9.]+ [KMG]?i?B used")
                .containsPattern("threads {6}\\d+ \\(peak \\d+, \\d+ daemon\\)");
    }

    @Test
    void saysWhenTheEventLoopServiceIsMissing() {
        String out = new InfoCommand(context, TestServices.Fixed.none()).info();

        assertThat(out).contains("event loops  unknown: the event-loop service is missing");
    }
}
