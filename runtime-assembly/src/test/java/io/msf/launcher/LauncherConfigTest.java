package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherConfigTest {

    @TempDir
    Path home;

    private final Properties system = new Properties();

    @Test
    void resolvesHomeAndDataAsAbsolutePaths() throws IOException {
        write("org.osgi.framework.storage = ${msf.data}/cache\nmsf.bundle.dir = ${msf.home}/bundle\n");

        LauncherConfig config = LauncherConfig.load(home, home.resolve("sub/../data"), system);

        assertThat(config.data()).isEqualTo(home.resolve("data"));
        assertThat(config.properties())
                .containsEntry("msf.home", home.toString())
                .containsEntry("msf.data", home.resolve("data").toString())
                .containsEntry("org.osgi.framework.storage", home.resolve("data/cache").toString());
        assertThat(config.bundleDir()).isEqualTo(home.resolve("bundle"));
    }

    @Test
    void aSystemPropertyOverridesTheFileAndMaySubstituteToo() throws IOException {
        write("msf.ready.timeout = 45\nmsf.bundle.dir = ${msf.home}/bundle\n");
        system.setProperty("msf.ready.timeout", "120");
        system.setProperty("msf.bundle.dir", "${msf.data}/bundle");

        LauncherConfig config = LauncherConfig.load(home, home.resolve("data"), system);

        assertThat(config.readyTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.bundleDir()).isEqualTo(home.resolve("data/bundle"));
    }

    /** bin/msf looks for data/msf.pid only: a pid file elsewhere left its status and stop blind to the container. */
    @Test
    void aPidFileOtherThanTheDataFoldersIsRefusedNamingTheKey() throws IOException {
        write("msf.pid.file = ${msf.data}/msf.pid\n");
        system.setProperty("msf.pid.file", "${msf.data}/other.pid");

        LauncherConfig config = LauncherConfig.load(home, home.resolve("data"), system);

        assertThatThrownBy(config::pidFile)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dmsf.pid.file (which overrides etc/config.properties): msf.pid.file must be"
                        + " ${msf.data}/msf.pid, where bin/msf's status and stop look for the container, not '"
                        + home.resolve("data/other.pid") + "'");
    }

    @Test
    void thePidFileIsTheDataFoldersHoweverItIsWrittenOrWhenNotGiven() throws IOException {
        write("msf.pid.file = ${msf.home}/sub/../data/./msf.pid\n");
        assertThat(LauncherConfig.load(home, home.resolve("data"), system).pidFile())
                .isEqualTo(home.resolve("data/msf.pid"));

        write("a = 1\n");
        assertThat(LauncherConfig.load(home, home.resolve("data"), system).pidFile())
                .isEqualTo(home.resolve("data/msf.pid"));
    }

    @Test
    void msfHomeIsTheLaunchersEvenIfTheFileSetsIt() throws IOException {
        write("msf.home = /elsewhere\n");

        assertThat(LauncherConfig.load(home, home.resolve("data"), system).properties())
                .containsEntry("msf.home", home.toString());
    }

    @Test
    void readsTheReadyServicesAsATrimmedList() throws IOException {
        write("msf.ready.services = \\\n  a.A, \\\n  b.B ,\\\n  ,c.C\n");

        assertThat(LauncherConfig.load(home, home.resolve("data"), system).readyServices())
                .containsExactly("a.A", "b.B", "c.C");
    }

    @Test
    void aBadTimeoutNamesTheFileTheKeyAndTheValue() throws IOException {
        write("msf.stop.timeout = soon\n");
        LauncherConfig config = LauncherConfig.load(home, home.resolve("data"), system);

        assertThatThrownBy(config::stopTimeout)
                .hasMessageContaining("etc/config.properties")
                .hasMessageContaining("msf.stop.timeout")
                .hasMessageContaining("'soon'");
    }

    /** "Wait for ever" as a big number: past 292 years in nanoseconds, the report and the stop threw. */
    @Test
    void aTimeoutPastNineDigitsIsRefusedNamingIt() throws IOException {
        write("msf.stop.timeout = 99999999999\nmsf.ready.timeout = 999999999\n");
        LauncherConfig config = LauncherConfig.load(home, home.resolve("data"), system);

        assertThatThrownBy(config::stopTimeout).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("etc/config.properties: msf.stop.timeout must be at most 999999999 seconds (31 years),"
                        + " not '99999999999'");
        assertThat(config.readyTimeout().toNanos()).isEqualTo(999_999_999L * 1_000_000_000L);
    }

    @Test
    void aBadValueOfASystemPropertyNamesItNotTheFile() throws IOException {
        write("msf.stop.timeout = 20\nmsf.ready.timeout = 45\nmsf.console.local = false\n");
        system.setProperty("msf.stop.timeout", "30s");
        system.setProperty("msf.console.local", "yes");
        LauncherConfig config = LauncherConfig.load(home, home.resolve("data"), system);

        assertThatThrownBy(config::stopTimeout).hasMessage("-Dmsf.stop.timeout (which overrides etc/config.properties):"
                + " msf.stop.timeout must be a positive number of seconds, not '30s'");
        assertThatThrownBy(config::consoleLocal).hasMessageStartingWith("-Dmsf.console.local (which overrides");
        assertThat(config.readyTimeout()).hasSeconds(45);
    }

    @Test
    void theConsoleIsLocalOnlyWhenSaidSoAndASystemPropertyDecides() throws IOException {
        write("msf.console.local = false\n");
        assertThat(LauncherConfig.load(home, home.resolve("data"), system).consoleLocal()).isFalse();

        system.setProperty("msf.console.local", "TRUE");
        assertThat(LauncherConfig.load(home, home.resolve("data"), system).consoleLocal()).isTrue();
    }

    @Test
    void aConsoleModeOtherThanTrueOrFalseIsNamed() throws IOException {
        write("msf.console.local = yes\n");
        LauncherConfig config = LauncherConfig.load(home, home.resolve("data"), system);

        assertThatThrownBy(config::consoleLocal)
                .hasMessageContaining("msf.console.local must be true or false")
                .hasMessageContaining("'yes'");
    }

    @Test
    void aMissingKeyIsNamed() throws IOException {
        write("felix.log.level = 1\n");
        LauncherConfig config = LauncherConfig.load(home, home.resolve("data"), system);

        assertThatThrownBy(config::readyServices).hasMessageContaining("msf.ready.services is missing");
    }

    @Test
    void anUndefinedReferenceNamesTheFile() throws IOException {
        write("org.osgi.framework.storage = ${msf.dat}/cache\n");

        assertThatThrownBy(() -> LauncherConfig.load(home, home.resolve("data"), system))
                .hasMessageStartingWith("etc/config.properties: ")
                .hasMessageContaining("${msf.dat}");
    }

    @Test
    void anUndefinedReferenceOfASystemPropertyNamesItNotTheFile() throws IOException {
        write("msf.pid.file = ${msf.data}/msf.pid\n");
        system.setProperty("msf.pid.file", "${msf.dat}/msf.pid");

        assertThatThrownBy(() -> LauncherConfig.load(home, home.resolve("data"), system))
                .hasMessage("-Dmsf.pid.file (which overrides etc/config.properties): property 'msf.pid.file' refers to"
                        + " ${msf.dat}, which is not defined");
    }

    /** The decoder alone says "Input length = 1", and the container would not start with no more than that. */
    @Test
    void aLineThatIsNotUtf8IsNamedWithTheByte() throws IOException {
        String text = "a = 1\n# caf\u00e9 is UTF-8\nb = \u00e9t\u00e9\nc = x\n";
        write(text);
        assertThat(LauncherConfig.load(home, home.resolve("data"), system).properties()).containsEntry("b", "\u00e9t\u00e9");

        Files.write(home.resolve(LauncherConfig.CONFIG_FILE), text.getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> LauncherConfig.load(home, home.resolve("data"), system))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("etc/config.properties:2: not UTF-8 (byte 0xe9 at byte 6 of the line): save the file as UTF-8");
    }

    /** Properties ends a line at a CR alone too (an old Mac's file): such a file was all "line 1". */
    @Test
    void aLineThatIsNotUtf8IsCountedAsPropertiesEndsLines() throws IOException {
        byte[] crOnly = "a = 1\r# note\rb = \u00e9t\u00e9\r".getBytes(StandardCharsets.ISO_8859_1);
        Files.createDirectories(home.resolve("etc"));
        Files.write(home.resolve(LauncherConfig.CONFIG_FILE), crOnly);
        assertThatThrownBy(() -> LauncherConfig.load(home, home.resolve("data"), system))
                .hasMessage("etc/config.properties:3: not UTF-8 (byte 0xe9 at byte 5 of the line): save the file as UTF-8");

        byte[] crLf = "a = 1\r\n# note\r\nb = \u00e9t\u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(home.resolve(LauncherConfig.CONFIG_FILE), crLf);
        assertThatThrownBy(() -> LauncherConfig.load(home, home.resolve("data"), system))
                .hasMessage("etc/config.properties:3: not UTF-8 (byte 0xe9 at byte 5 of the line): save the file as UTF-8");
    }

    /** An editor's "UTF-8 with BOM": Properties read the mark as part of the first key. */
    @Test
    void aByteOrderMarkIsNoPartOfTheFirstKey() throws IOException {
        write("\uFEFFmsf.stop.timeout = 20\n");

        LauncherConfig config = LauncherConfig.load(home, home.resolve("data"), system);

        assertThat(config.properties()).containsOnlyKeys("msf.stop.timeout", "msf.home", "msf.data");
        assertThat(config.stopTimeout()).hasSeconds(20);
    }

    /** Properties.load alone says "Malformed \\uxxxx encoding." of the whole file. */
    @Test
    void aBrokenUnicodeEscapeIsNamedWithItsLineAsPropertiesReadsLines() throws IOException {
        write("# a comment may say \\uZZZZ\n"
                + "path = C:\\\\users\n"
                + "name = caf\\u00e9\n"
                + "long = one \\\n"
                + "  # no comment but the value going on \\u12G4\n");
        assertThatThrownBy(() -> LauncherConfig.load(home, home.resolve("data"), system))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("etc/config.properties:5: '\\u12G4' at column 39 is no unicode escape: \\u takes four hex"
                        + " digits (\\u00e9); a backslash meant as such is written \\\\");

        write("# a comment may say \\uZZZZ\npath = C:\\\\users\nname = caf\\u00e9\n");
        assertThat(LauncherConfig.load(home, home.resolve("data"), system).properties())
                .containsEntry("path", "C:\\users").containsEntry("name", "caf\u00e9");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> LauncherConfig.load(home, home.resolve("data"), system))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("etc/config.properties cannot be read: java.nio.file.NoSuchFileException: ");
    }

    /** Guards the file the assembly ships: it must load, resolve and carry every launcher key. */
    @Test
    void theShippedConfigurationResolvesCompletely() throws IOException {
        Files.createDirectories(home.resolve("etc"));
        Files.copy(Path.of("src/main/etc/config.properties"), home.resolve(LauncherConfig.CONFIG_FILE));

        LauncherConfig config = LauncherConfig.load(home, home.resolve("data"), system);

        assertThat(config.bundleDir()).isEqualTo(home.resolve("bundle"));
        assertThat(config.pidFile()).isEqualTo(home.resolve("data/msf.pid"));
        assertThat(config.readyServices()).contains(
                "io.msf.event.api.EventLoopService", "io.msf.timer.api.TimerService",
                "io.msf.mempool.api.MemoryPool", "io.msf.net.api.NetworkService",
                "io.msf.log.api.LogConsole", "io.msf.config.api.ConfigValidation",
                "io.msf.agent.api.Agent", "io.msf.deploy.api.Deployer",
                "org.apache.felix.service.command.CommandProcessor");
        assertThat(config.readyTimeout()).isPositive();
        assertThat(config.stopTimeout()).isPositive();
        assertThat(config.consoleLocal()).as("headless unless bin/msf run has a terminal").isFalse();
        assertThat(config.properties())
                .containsEntry("org.osgi.framework.storage", home.resolve("data/cache").toString())
                .containsEntry("org.osgi.framework.storage.clean", "onFirstInit")
                .containsEntry("felix.fileinstall.dir", home.resolve("etc").toString())
                .containsEntry("felix.fileinstall.filter", ".*\\.(cfg|config|json)")
                .containsEntry("gosh.home", home.toString())
                .containsEntry("org.apache.felix.eventadmin.ThreadPoolSize", "2")
                .containsEntry(WarmSpare.INIT, config.properties().get(BackgroundInit.CLASSES));
        assertThat(config.properties().get(BackgroundInit.CLASSES)).contains("io.netty.channel.epoll.Epoll");
        assertThat(config.properties().values()).noneMatch(value -> value.contains("${"));
    }

    private void write(String content) throws IOException {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve(LauncherConfig.CONFIG_FILE), content);
    }
}
