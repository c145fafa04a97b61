package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.deploy.internal.WatchedJars.Watch;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The folders FileInstall watches, as FileInstall 3.7.4 reads them from its properties. */
class WatchedJarsTest {

    private final ConfigurationAdmin configAdmin = mock(ConfigurationAdmin.class);
    private final Map<String, String> frameworkProperties = new HashMap<>();

    private WatchedJars watched() {
        return new WatchedJars(configAdmin, frameworkProperties::get);
    }

    @Test
    void withoutAFolderFileInstallWatchesLoadInTheWorkingDirectory() throws Exception {
        assertThat(watched().watches()).containsExactly(new Watch(Path.of("./load"), null));
    }

    @Test
    void aListIsAFolderEachTrimmedAndASingleFolderIsTakenAsWritten() throws Exception {
        frameworkProperties.put(WatchedJars.FILTER, ".*\\.jar");
        frameworkProperties.put(WatchedJars.DIR, "/srv/msf/etc , /srv/msf/more,, ");
        assertThat(watched().watches()).containsExactly(new Watch(Path.of("/srv/msf/etc"), ".*\\.jar"),
                new Watch(Path.of("/srv/msf/more"), ".*\\.jar"));

        frameworkProperties.put(WatchedJars.DIR, "/srv/msf/etc ");
        assertThat(watched().watches()).as("a folder whose name ends in a space, which FileInstall waits for")
                .containsExactly(new Watch(Path.of("/srv/msf/etc "), ".*\\.jar"));
    }

    @Test
    void unsetFileInstallReadsItsSystemPropertyInCapitals() throws Exception {
        System.setProperty("FELIX_FILEINSTALL_DIR", "/srv/msf/etc");
        try {
            assertThat(watched().watches()).containsExactly(new Watch(Path.of("/srv/msf/etc"), null));
        } finally {
            System.clearProperty("FELIX_FILEINSTALL_DIR");
        }
    }

    /** FileInstall gives a watch configured without a folder the default of its start. */
    @Test
    void aConfiguredWatchWithoutAFolderWatchesLoad() throws Exception {
        frameworkProperties.put(WatchedJars.DIR, "/srv/msf/etc");
        Configuration deploy = mock(Configuration.class);
        when(deploy.getProperties()).thenReturn(new Hashtable<>(Map.of(WatchedJars.FILTER, ".*\\.jar")));
        when(configAdmin.listConfigurations("(service.factoryPid=" + WatchedJars.FACTORY_PID + ")"))
                .thenReturn(new Configuration[] {deploy});

        assertThat(watched().watches()).containsExactly(new Watch(Path.of("/srv/msf/etc"), null),
                new Watch(Path.of("./load"), ".*\\.jar"));
    }
}
