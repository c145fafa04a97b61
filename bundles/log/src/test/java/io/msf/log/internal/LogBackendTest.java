package io.msf.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.log.api.LogLine;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.ComponentException;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

class LogBackendTest {

    @TempDir
    Path data;

    private final BundleContext context = mock(BundleContext.class);
    private final LogReaderService reader = mock(LogReaderService.class);
    private final FakeLoggerAdmin admin = new FakeLoggerAdmin();
    private final LoggerFactory loggerFactory = mock(LoggerFactory.class);
    private final ConfigurationAdmin configAdmin = mock(ConfigurationAdmin.class);
    private final Configuration configuration = mock(Configuration.class);
    private final Logger log = mock(Logger.class);
    private LogBackend backend;
    private LogListener listener;

    @BeforeEach
    void plumbing() throws Exception {
        Bundle self = TestEntry.bundle("io.msf.log");
        when(context.getBundle()).thenReturn(self);
        when(context.getProperty("msf.data")).thenReturn(data.toString());
        when(loggerFactory.getLogger(anyString())).thenReturn(mock(Logger.class));
        when(configAdmin.getConfiguration("msf.log", "?")).thenReturn(configuration);
    }

    @AfterEach
    void deactivate() {
        if (backend != null) {
            backend.deactivate();
        }
    }

    private static LogConfiguration config(String level, String bundleLevels, String file) {
        LogConfiguration config = mock(LogConfiguration.class);
        when(config.level()).thenReturn(level);
        when(config.bundleLevels()).thenReturn(bundleLevels);
        when(config.console()).thenReturn(false);
        when(config.file()).thenReturn(file);
        when(config.maxFileBytes()).thenReturn(1024L * 1024);
        when(config.maxFiles()).thenReturn(3);
        when(config.tailSize()).thenReturn(100);
        when(config.queueSize()).thenReturn(1000);
        return config;
    }

    private void activate(LogConfiguration config) {
        activate(config, Map.of());
    }

    /** @param properties the configuration's properties as SCR hands them over, FileInstall's mark among them */
    private void activate(LogConfiguration config, Map<String, Object> properties) {
        backend = new LogBackend(config, context, reader, admin, loggerFactory, configAdmin, log, properties);
        ArgumentCaptor<LogListener> captor = ArgumentCaptor.forClass(LogListener.class);
        verify(reader).addLogListener(captor.capture());
        listener = captor.getValue();
    }

    /** msf.data unset: its default, {@code msf-data-tester} in a temporary folder of the test's, not made yet. */
    private Path defaultDataFolder() throws IOException {
        Path tmp = Files.createDirectory(data.resolve("tmp"));
        when(context.getProperty("msf.data")).thenReturn(null);
        when(context.getProperty("java.io.tmpdir")).thenReturn(tmp.toString());
        when(context.getProperty("user.name")).thenReturn("tester");
        return tmp.resolve("msf-data-tester");
    }

    /** Resolved against the working folder, where bin/msf happened to run, the file moved with it. */
    @Test
    void aRelativeFileIsInTheDataFolder() throws Exception {
        activate(config("INFO", "", "logs/app.log"));

        listener.logged(TestEntry.of("io.msf.timer", LogLevel.INFO, "timer", "tick"));
        backend.deactivate();
        backend = null;

        assertThat(Files.readString(data.resolve("logs").resolve("app.log"))).contains("timer: tick");
        assertThat(Path.of("logs")).doesNotExist();
    }

    @Test
    void writesEntriesAtOrAboveTheirLevelToTheFileUnderTheDataDirAndTheTail() throws Exception {
        activate(config("INFO", "io.msf.net=DEBUG", ""));

        listener.logged(TestEntry.of("io.msf.timer", LogLevel.INFO, "timer", "tick"));
        listener.logged(TestEntry.of("io.msf.timer", LogLevel.DEBUG, "timer", "detail"));
        listener.logged(TestEntry.of("io.msf.net", LogLevel.DEBUG, "net", "net detail"));
        backend.deactivate();
        backend = null;

        assertThat(Files.readString(data.resolve("log").resolve("msf.log")))
                .contains("INFO  [io.msf.timer] timer: tick", "DEBUG [io.msf.net] net: net detail")
                .doesNotContain("timer: detail");
    }

    @Test
    void aRefusedDefaultDataFolderGetsNoLogFileAndAnErrorSaysWhy() throws Exception {
        // msf.data unset: the default in the temporary folder, which another user left open
        Path open = Files.createDirectory(defaultDataFolder());
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        activate(config("INFO", "", ""));

        listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "still in the tail"));
        assertThat(backend.tail(5)).extracting(LogLine::message).containsExactly("still in the tail");
        backend.deactivate();
        backend = null;

        verify(log).error(eq("{}: {}"), eq("msf.log"), org.mockito.ArgumentMatchers.<String>argThat(message ->
                message.startsWith("data folder " + open + " refused: group or others may use it (rwxrwxrwx")
                        && message.endsWith("; the log goes to no file (key 'file' can name one)")));
        assertThat(open).as("nothing written into it").isEmptyDirectory();
    }

    /** A relative file lies in the default data folder too: a link there, another user's, is not written through. */
    @Test
    void aRelativeFileInARefusedDefaultDataFolderIsNotWrittenAndAnErrorSaysWhy() throws Exception {
        Path someoneElses = Files.createDirectory(data.resolve("someone-elses"));
        Path link = Files.createSymbolicLink(defaultDataFolder(), someoneElses);
        activate(config("INFO", "", "logs/app.log"));

        listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "still in the tail"));
        assertThat(backend.tail(5)).extracting(LogLine::message).containsExactly("still in the tail");
        backend.deactivate();
        backend = null;

        verify(log).error(eq("{}: {}"), eq("msf.log"), org.mockito.ArgumentMatchers.<String>argThat(message ->
                message.startsWith("file: data folder " + link + " refused: it is a symbolic link")
                        && message.endsWith("; the log goes to no file")));
        assertThat(someoneElses).as("nothing written through the link").isEmptyDirectory();
    }

    /** Changed to a relative file in a refused default data folder: the file in use stays. */
    @Test
    void aChangeToARelativeFileInARefusedDefaultDataFolderKeepsTheFileInUse() throws Exception {
        Path open = Files.createDirectory(defaultDataFolder());
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path first = data.resolve("first.log");
        activate(config("INFO", "", first.toString()));

        backend.modified(config("INFO", "", "logs/app.log"), Map.of());
        listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "still in the first file"));
        backend.deactivate();
        backend = null;

        verify(log).error(eq("{}: {}" + "; the previous console, file, maxFileBytes, maxFiles, tailSize and queueSize"
                + " stay in force"), eq("msf.log"), org.mockito.ArgumentMatchers.<String>argThat(message ->
                message.startsWith("file: data folder " + open + " refused: group or others may use it")));
        assertThat(Files.readString(first)).contains("l: still in the first file");
        assertThat(open).as("nothing written into it").isEmptyDirectory();
    }

    @Test
    void tailReturnsTheLastRecordsLogged() {
        activate(config("INFO", "", data.resolve("x.log").toString()));

        listener.logged(TestEntry.of("a", LogLevel.WARN, "l", "first"));
        listener.logged(TestEntry.of("a", LogLevel.ERROR, "l", "second"));

        assertThat(backend.tail(1)).extracting(LogLine::message).containsExactly("second");
        assertThat(backend.tail(5)).extracting(LogLine::message).containsExactly("first", "second");
    }

    @Test
    void setLevelAppliesAtOnceAndSavesTheConfiguration() throws Exception {
        Dictionary<String, Object> existing = new Hashtable<>(Map.of("level", "INFO", "console", "false",
                "felix.fileinstall.filename", "file:/msf/etc/msf.log.cfg"));
        when(configuration.getProperties()).thenReturn(existing);
        activate(config("INFO", "", ""));

        backend.setLevel("io.msf.net", "debug");
        backend.setLevel("root", "WARN");

        assertThat(backend.levels()).containsExactly(Map.entry("ROOT", "WARN"), Map.entry("io.msf.net", "DEBUG"));
        assertThat(admin.getLoggerContext("io.msf.net").getEffectiveLogLevel("x")).isEqualTo(LogLevel.DEBUG);
        assertThat(admin.getLoggerContext(null).getEffectiveLogLevel("x")).isEqualTo(LogLevel.WARN);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<Dictionary<String, Object>> saved = ArgumentCaptor.forClass(Dictionary.class);
        verify(configuration, org.mockito.Mockito.times(2)).update(saved.capture());
        Dictionary<String, Object> last = saved.getValue();
        assertThat(last.get("level")).isEqualTo("WARN");
        assertThat(last.get("bundleLevels")).isEqualTo("io.msf.net=DEBUG");
        assertThat(last.get("console")).isEqualTo("false");
        assertThat(last.get("felix.fileinstall.filename")).isEqualTo("file:/msf/etc/msf.log.cfg");
    }

    /** A bundle's own level could be set from the console, never taken away: only an edit of the file could. */
    @Test
    void removeLevelPutsTheBundleBackOnTheRootLevelAndSavesIt() throws Exception {
        Dictionary<String, Object> existing = new Hashtable<>(Map.of("level", "WARN",
                "bundleLevels", "io.msf.net=DEBUG,io.msf.timer=ERROR"));
        when(configuration.getProperties()).thenReturn(existing);
        activate(config("WARN", "io.msf.net=DEBUG,io.msf.timer=ERROR", ""));

        assertThat(backend.removeLevel("io.msf.net")).isTrue();
        assertThat(backend.removeLevel("io.msf.net")).as("it has none now").isFalse();

        assertThat(backend.levels()).containsExactly(Map.entry("ROOT", "WARN"), Map.entry("io.msf.timer", "ERROR"));
        assertThat(admin.getLoggerContext("io.msf.net").getEffectiveLogLevel("x")).isEqualTo(LogLevel.WARN);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<Dictionary<String, Object>> saved = ArgumentCaptor.forClass(Dictionary.class);
        verify(configuration).update(saved.capture());
        assertThat(saved.getValue().get("bundleLevels")).isEqualTo("io.msf.timer=ERROR");
        assertThat(saved.getValue().get("level")).isEqualTo("WARN");
        assertThatIllegalArgumentException().isThrownBy(() -> backend.removeLevel("root"))
                .withMessageStartingWith("the root level cannot be removed, only set");
    }

    @Test
    void setLevelOnceTheLogStoppedNeitherSetsNorSavesALevel() throws Exception {
        activate(config("INFO", "", ""));
        backend.deactivate();

        assertThatIllegalStateException().isThrownBy(() -> backend.setLevel("io.msf.net", "DEBUG"))
                .withMessageStartingWith("the log has stopped: no level is set or saved");
        backend = null;
        assertThat(admin.getLoggerContext("io.msf.net").isEmpty()).isTrue();
        assertThat(admin.getLoggerContext(null).isEmpty()).as("the Log Service's defaults").isTrue();
        verify(configuration, never()).update(any());
    }

    @Test
    void tailSizeIsTheOneInForce() throws Exception {
        LogConfiguration none = config("INFO", "", "");
        when(none.tailSize()).thenReturn(0);
        activate(none);
        assertThat(backend.tailSize()).isZero();

        backend.modified(config("INFO", "", ""), Map.of());

        assertThat(backend.tailSize()).isEqualTo(100);
    }

    /**
     * Felix SCR can hand over a configuration's older properties under its newer change count, and
     * then never the newer ones (two updates close together): the levels Config Admin holds win.
     */
    @Test
    void twoLevelChangesCloseTogetherBothStayWhenSCRHandsTheFirstOneOver() throws Exception {
        Dictionary<String, Object> held = new Hashtable<>(Map.of("level", "INFO", "bundleLevels", ""));
        when(configuration.getProperties()).thenAnswer(call -> new Hashtable<>(Map.of("level", held.get("level"),
                "bundleLevels", held.get("bundleLevels"))));
        doAnswer(call -> {
            Dictionary<String, Object> update = call.getArgument(0);
            held.put("level", update.get("level"));
            held.put("bundleLevels", update.get("bundleLevels"));
            return null;
        }).when(configuration).update(any());
        when(configAdmin.listConfigurations("(service.pid=msf.log)")).thenReturn(new Configuration[] {configuration});
        activate(config("INFO", "", ""));
        backend.setLevel("io.msf.timer", "DEBUG");
        backend.setLevel("io.msf.mempool", "DEBUG");

        backend.modified(config("INFO", "io.msf.timer=DEBUG", ""), Map.of()); // the first change's properties

        assertThat(backend.levels()).containsExactly(Map.entry("ROOT", "INFO"), Map.entry("io.msf.mempool", "DEBUG"),
                Map.entry("io.msf.timer", "DEBUG"));
        assertThat(admin.getLoggerContext("io.msf.mempool").getEffectiveLogLevel("x")).isEqualTo(LogLevel.DEBUG);
    }

    @Test
    void setLevelRejectsAnUnknownLevelAndChangesNothing() throws Exception {
        activate(config("INFO", "", ""));

        assertThatIllegalArgumentException().isThrownBy(() -> backend.setLevel("io.msf.net", "LOUD"))
                .withMessage("'LOUD' is not a log level; use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
        assertThat(backend.levels()).containsExactly(Map.entry("ROOT", "INFO"));
        verify(configuration, never()).update(any());
    }

    @Test
    void aBadLevelInTheConfigurationIsReportedAndThePreviousLevelsStay() throws Exception {
        activate(config("DEBUG", "io.msf.net=TRACE", ""));

        backend.modified(config("INFO", "io.msf.net=LOUD", ""), Map.of());

        assertThat(backend.levels()).containsExactly(Map.entry("ROOT", "DEBUG"), Map.entry("io.msf.net", "TRACE"));
        assertThat(admin.getLoggerContext(null).getEffectiveLogLevel("x")).isEqualTo(LogLevel.DEBUG);
        verify(log).error(eq("{}: {}; the levels stay {}"), eq("msf.log"),
                eq("bundleLevels: 'io.msf.net=LOUD': entry 'io.msf.net=LOUD': 'LOUD' is not a log level;"
                        + " use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF"),
                any());
    }

    @Test
    void valuesOutOfTheirBoundsAtActivationTakeTheirDefaultsAndSayWhy() throws Exception {
        // Config Admin hands over what it was given: only files in etc/ pass the config gate.
        Path file = data.resolve("a.log");
        LogConfiguration config = config("INFO", "", file.toString());
        when(config.maxFileBytes()).thenReturn(100L);
        when(config.maxFiles()).thenReturn(0);
        when(config.tailSize()).thenReturn(-1);
        when(config.queueSize()).thenReturn(Integer.MAX_VALUE);
        activate(config);

        verify(log).error("{}: {}", "msf.log", "maxFileBytes: 100 is not in 4096.." + Long.MAX_VALUE
                + "; using its default 10485760");
        verify(log).error("{}: {}", "msf.log", "maxFiles: 0 is not in 1..100; using its default 5");
        verify(log).error("{}: {}", "msf.log", "tailSize: -1 is not in 0..100000; using its default 1000");
        verify(log).error("{}: {}", "msf.log", "queueSize: " + Integer.MAX_VALUE
                + " is not in 64..1048576; using its default 10000");
        for (int i = 0; i < 20; i++) {
            listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "record " + i));
        }
        assertThat(backend.tail(2000)).hasSize(20);
        backend.deactivate();
        backend = null;
        assertThat(Files.readString(file)).contains("record 0", "record 19");
        assertThat(data.resolve("a.log.1")).as("no rotation at 100 bytes").doesNotExist();
    }

    @Test
    void aChangeWithAValueOutOfItsBoundsIsReportedAndThePreviousFileSettingsStayWhole() throws Exception {
        Path first = data.resolve("first.log");
        Path second = data.resolve("second.log");
        activate(config("INFO", "", first.toString())); // tail 100
        Object[][] bad = {{"maxFileBytes", 4095L}, {"maxFiles", 0}, {"maxFiles", 101}, {"tailSize", -1},
            {"tailSize", 100_001}, {"queueSize", 63}, {"queueSize", 1_048_577}};
        for (Object[] value : bad) {
            LogConfiguration change = config("WARN", "", second.toString());
            when(change.tailSize()).thenReturn(10);
            switch ((String) value[0]) {
                case "maxFileBytes" -> when(change.maxFileBytes()).thenReturn((Long) value[1]);
                case "maxFiles" -> when(change.maxFiles()).thenReturn((Integer) value[1]);
                case "tailSize" -> when(change.tailSize()).thenReturn((Integer) value[1]);
                default -> when(change.queueSize()).thenReturn((Integer) value[1]);
            }

            backend.modified(change, Map.of());

            verify(log).error(eq("{}: {}; the previous console, file, maxFileBytes, maxFiles, tailSize and"
                    + " queueSize stay in force"), eq("msf.log"),
                    org.mockito.ArgumentMatchers.startsWith(value[0] + ": " + value[1] + " is not in "));
        }
        assertThat(backend.levels()).as("the levels are applied on their own, as ever")
                .containsExactly(Map.entry("ROOT", "WARN"));
        for (int i = 0; i < 150; i++) {
            listener.logged(TestEntry.of("a", LogLevel.ERROR, "l", "record " + i));
        }
        assertThat(backend.tail(1000)).as("the tail kept its size").hasSize(100);
        backend.deactivate();
        backend = null;
        assertThat(Files.readString(first)).contains("record 0", "record 149");
        assertThat(second).doesNotExist();
    }

    /** The operator is told which file to fix, not only the PID and the key. */
    @Test
    void aRefusalNamesTheFileTheConfigurationCameFrom() throws Exception {
        Map<String, Object> fromFile = Map.of("felix.fileinstall.filename", "file:/opt/msf/etc/msf.log.cfg");
        LogConfiguration config = config("INFO", "", data.resolve("a.log").toString());
        when(config.maxFiles()).thenReturn(0);
        activate(config, fromFile);
        LogConfiguration change = config("INFO", "io.msf.net=LOUD", data.resolve("b.log").toString());
        when(change.tailSize()).thenReturn(-1);

        backend.modified(change, fromFile);

        String refused = "msf.log (file file:/opt/msf/etc/msf.log.cfg)";
        verify(log).error("{}: {}", refused, "maxFiles: 0 is not in 1..100; using its default 5");
        verify(log).error(eq("{}: {}; the levels stay {}"), eq(refused),
                org.mockito.ArgumentMatchers.<String>startsWith("bundleLevels: 'io.msf.net=LOUD'"), any());
        verify(log).error(eq("{}: {}; the previous console, file, maxFileBytes, maxFiles, tailSize and queueSize stay"
                + " in force"), eq(refused), eq("tailSize: -1 is not in 0..100000"));
    }

    @Test
    void aValueThatCannotBeReadAsANumberAtActivationTakesItsDefaultAndNamesTheKey() throws Exception {
        // What SCR's configuration proxy does with a word where a number belongs: it throws when the member is read.
        Path file = data.resolve("a.log");
        LogConfiguration config = config("INFO", "", file.toString());
        when(config.maxFiles())
                .thenThrow(new ComponentException(new NumberFormatException("For input string: \"many\"")));
        activate(config);

        verify(log).error(eq("{}: {}"), eq("msf.log"), org.mockito.ArgumentMatchers.<String>argThat(message ->
                message.startsWith("maxFiles: the value cannot be read as a number (")
                        && message.contains("many") && message.endsWith("; using its default 5")));
        listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "written"));
        backend.deactivate();
        backend = null;
        assertThat(Files.readString(file)).contains("l: written");
    }

    @Test
    void aChangeWithAValueThatCannotBeReadAsANumberIsRefusedNamingTheKeyAndThePreviousFileSettingsStay()
            throws Exception {
        Path first = data.resolve("first.log");
        Path second = data.resolve("second.log");
        activate(config("INFO", "", first.toString()));
        LogConfiguration change = config("WARN", "", second.toString());
        when(change.queueSize())
                .thenThrow(new ComponentException(new NumberFormatException("For input string: \"big\"")));

        backend.modified(change, Map.of());

        verify(log).error(eq("{}: {}; the previous console, file, maxFileBytes, maxFiles, tailSize and queueSize stay"
                + " in force"), eq("msf.log"), org.mockito.ArgumentMatchers.<String>argThat(message ->
                        message.startsWith("queueSize: the value cannot be read as a number (")
                                && message.contains("big")));
        assertThat(backend.levels()).containsExactly(Map.entry("ROOT", "WARN"));
        listener.logged(TestEntry.of("a", LogLevel.ERROR, "l", "still here"));
        backend.deactivate();
        backend = null;
        assertThat(Files.readString(first)).contains("l: still here");
        assertThat(second).doesNotExist();
    }

    @Test
    void aNewFileThatCannotBeWrittenIsRefusedNamingTheKeyAndTheLogStaysInTheFileItHad() throws Exception {
        Path first = data.resolve("first.log");
        Path notAFolder = Files.writeString(data.resolve("logs"), "a file where a folder belongs");
        Path unwritable = notAFolder.resolve("msf.log");
        activate(config("INFO", "", first.toString()));

        backend.modified(config("WARN", "", unwritable.toString()), Map.of());

        verify(log).error(eq("{}: file: {} cannot be written ({}); the previous console, file, maxFileBytes,"
                + " maxFiles, tailSize and queueSize stay in force"), eq("msf.log"), eq(unwritable),
                org.mockito.ArgumentMatchers.<String>argThat(reason -> reason.contains(notAFolder.toString())));
        assertThat(backend.levels()).as("the levels are applied on their own")
                .containsExactly(Map.entry("ROOT", "WARN"));
        listener.logged(TestEntry.of("a", LogLevel.ERROR, "l", "still in the first file"));
        backend.deactivate();
        backend = null;
        assertThat(Files.readString(first)).contains("l: still in the first file");
    }

    @Test
    void keysSetToAnEmptyListAtActivationAreRefusedNamingThemAndTheLogStillStarts() throws Exception {
        // Set through Config Admin directly (past the config gate), an empty list reaches a text key as null.
        activate(config(null, null, null));

        verify(log).error(eq("{}: {}"), eq("msf.log"), org.mockito.ArgumentMatchers.<String>argThat(message ->
                message.equals("file: no value (it is set to an empty list); the log goes to no file")));
        verify(log).error(eq("{}: {}; the levels stay {}"), eq("msf.log"),
                org.mockito.ArgumentMatchers.<String>argThat(message -> message.startsWith("level: no value")),
                any());
        listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "in the tail"));
        assertThat(backend.tail(5)).extracting(LogLine::message).containsExactly("in the tail");
    }

    @Test
    void aChangeWithAKeySetToAnEmptyListIsRefusedNamingTheKeyAndThePreviousFileStays() throws Exception {
        Path first = data.resolve("first.log");
        activate(config("INFO", "", first.toString()));

        backend.modified(config("WARN", null, null), Map.of());

        verify(log).error(eq("{}: {}; the levels stay {}"), eq("msf.log"),
                org.mockito.ArgumentMatchers.<String>argThat(message -> message.startsWith("bundleLevels: no value")),
                any());
        verify(log).error(eq("{}: {}; the previous console, file, maxFileBytes, maxFiles, tailSize and queueSize stay"
                + " in force"), eq("msf.log"), eq("file: no value (it is set to an empty list)"));
        listener.logged(TestEntry.of("a", LogLevel.ERROR, "l", "still in the first file"));
        backend.deactivate();
        backend = null;
        assertThat(Files.readString(first)).contains("l: still in the first file");
    }

    @Test
    void aFileThatIsNoPathIsRefusedNamingTheKey() throws Exception {
        // A NUL passes the config gate (\u0000 in a .cfg file) and no file system takes it
        activate(config("INFO", "", "bad\u0000.log"));

        verify(log).error(eq("{}: {}"), eq("msf.log"), org.mockito.ArgumentMatchers.<String>argThat(message ->
                message.startsWith("file: 'bad\\u0000.log' is not a path (")
                        && message.endsWith("); the log goes to no file")));
        Path first = data.resolve("first.log");
        backend.modified(config("INFO", "", first.toString()), Map.of());
        backend.modified(config("WARN", "", "bad\u0000.log"), Map.of());

        verify(log).error(eq("{}: {}; the previous console, file, maxFileBytes, maxFiles, tailSize and queueSize stay"
                + " in force"), eq("msf.log"), org.mockito.ArgumentMatchers.<String>startsWith("file: "));
        assertThat(backend.levels()).containsExactly(Map.entry("ROOT", "WARN"));
        listener.logged(TestEntry.of("a", LogLevel.ERROR, "l", "still in the first file"));
        backend.deactivate();
        backend = null;
        assertThat(Files.readString(first)).contains("l: still in the first file");
    }

    @Test
    void aConsoleThatBlocksHoldsUpNoRecordOfTheFile() throws Exception {
        // Standard output blocks when nobody reads it: a terminal on hold, a full pipe, a stuck journald.
        CountDownLatch held = new CountDownLatch(1);
        OutputStream blocked = heldUntil(held);
        Path file = data.resolve("a.log");
        LogConfiguration config = config("INFO", "", file.toString());
        when(config.console()).thenReturn(true);
        when(config.queueSize()).thenReturn(64);
        try {
            withStandardOutput(blocked, () -> {
                activate(config);
                for (int i = 0; i < 1000; i++) {
                    listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "record " + i));
                    if (i % 50 == 0) { // the rate of a busy container, not of a loop: the file keeps up
                        int written = i;
                        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file)
                                && Files.readString(file).contains("record " + written));
                    }
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(file).contains("record 999"));
                assertThat(Files.readString(file)).doesNotContain("dropped");
            });
        } finally {
            held.countDown();
        }
    }

    @Test
    void recordsDroppedForTheConsoleOnceItStoppedAreReportedInTheFileStillWritten() throws Exception {
        // The console held in a write keeps its writer stopping while a record comes for it
        CountDownLatch held = new CountDownLatch(1);
        OutputStream blocked = heldUntil(held);
        Path file = data.resolve("a.log");
        LogConfiguration config = config("INFO", "", file.toString());
        when(config.console()).thenReturn(true);
        try {
            withStandardOutput(blocked, () -> {
                activate(config);
                listener.logged(TestEntry.of("a", LogLevel.ERROR, "l", "first"));
                Thread stopping = new Thread(backend::deactivate);
                stopping.start();
                // The console's writer stops first, and the log waits for it (a timed wait) before the file's
                await().atMost(Duration.ofSeconds(10)).until(() -> stopping.getState() == Thread.State.TIMED_WAITING);
                listener.logged(TestEntry.of("a", LogLevel.ERROR, "l", "late")); // dropped for the console only
                held.countDown();
                stopping.join();
                backend = null;
            });
        } finally {
            held.countDown();
        }
        assertThat(Files.readString(file)).contains("l: first", "l: late", "WARN  [io.msf.log]"
                + " io.msf.log.internal.LogWriter: dropped 1 log record(s) for the console: they came after its writer"
                + " stopped");
    }

    /**
     * A bundle stopped by a console command whose client went away is stopped on an interrupted thread: the
     * wait for the console's writer gave up at once, and the file's writer was never told to stop, its thread
     * and the open file left behind for good.
     */
    @Test
    void aStopOnAnInterruptedThreadStillEndsEveryWriterAndKeepsTheInterrupt() throws Exception {
        Path file = data.resolve("a.log");
        LogConfiguration config = config("INFO", "", file.toString());
        when(config.console()).thenReturn(true);
        Set<Thread> before = logWriterThreads();
        AtomicBoolean interruptKept = new AtomicBoolean();
        printedDuring(() -> {
            activate(config);
            listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "a record"));
            Thread.currentThread().interrupt();
            try {
                backend.deactivate();
            } finally {
                interruptKept.set(Thread.interrupted());
                backend = null;
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> before.containsAll(logWriterThreads()));
        assertThat(Files.readString(file)).contains("l: a record");
        assertThat(interruptKept).as("the interrupt is kept for the caller").isTrue();
    }

    /** Its old writers' wait interrupted, a change of file left the new ones unstarted: nothing was written any more. */
    @Test
    void aChangeOnAnInterruptedThreadStartsTheNewWriters() throws Exception {
        Path first = data.resolve("first.log");
        Path second = data.resolve("second.log");
        activate(config("INFO", "", first.toString()));

        Thread.currentThread().interrupt();
        try {
            backend.modified(config("INFO", "", second.toString()), Map.of());
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        }
        listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "after"));

        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(second)
                && Files.readString(second).contains("l: after"));
    }

    /**
     * A rotation that failed was told on stderr from the file's writer thread: with stderr blocked (the
     * console nobody reads, which stderr is too), the file's writer blocked there and took no record more.
     */
    @Test
    void aRotationThatFailsWithStderrBlockedHoldsUpNoRecordOfTheFile() throws Exception {
        Path file = data.resolve("a.log");
        Files.createDirectory(data.resolve("a.log.1")); // a folder where the older file goes: the rotation fails
        LogConfiguration config = config("INFO", "", file.toString());
        when(config.maxFileBytes()).thenReturn(4096L);
        when(config.maxFiles()).thenReturn(2);
        CountDownLatch held = new CountDownLatch(1);
        PrintStream err = System.err;
        System.setErr(new PrintStream(heldUntil(held), true, StandardCharsets.UTF_8));
        try {
            activate(config);
            String padding = "x".repeat(100);
            for (int i = 0; i < 100; i++) {
                listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "record " + i + " " + padding));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(file).contains("record 99 "));
            assertThat(backend.tail(200)).extracting(LogLine::message)
                    .anySatisfy(told -> assertThat(told).startsWith("cannot rotate " + file));
        } finally {
            held.countDown();
            System.setErr(err);
        }
        backend.deactivate();
        backend = null;
        assertThat(Files.readString(file)).contains("WARN  [io.msf.log] io.msf.log.internal.RotatingFileSink: cannot"
                + " rotate " + file);
    }

    /** The log's writer threads running now. */
    private static Set<Thread> logWriterThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().startsWith("msf-log-"))
                .collect(Collectors.toSet());
    }

    /** bin/msf start appends standard output to console.out, which nothing rotates: the file has the records. */
    @Test
    void consolePropertyFalseKeepsRecordsOffStandardOutputButInTheFile() throws Exception {
        when(context.getProperty("msf.log.console")).thenReturn("false");
        Path file = data.resolve("a.log");
        LogConfiguration config = config("INFO", "", file.toString());
        when(config.console()).thenReturn(true);
        String printed = printedDuring(() -> {
            activate(config);
            listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "a record"));
            backend.modified(config, Map.of()); // a change of another key turns it on no more than the start did
            listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "another"));
            backend.deactivate();
            backend = null;
        });

        assertThat(printed).doesNotContain("a record", "another")
                .contains("msf.log: records go to " + file + ", not to standard output (msf.log.console=false)");
        assertThat(Files.readString(file)).contains("l: a record", "l: another");
    }

    /**
     * Without the console (bin/msf start), records the file could not take were lost, the tail aside:
     * they go to standard output while it fails, and no longer once it works again.
     */
    @Test
    void withoutTheConsoleRecordsTheFileFailsToTakeGoToStandardOutputUntilItWorksAgain() throws Exception {
        when(context.getProperty("msf.log.console")).thenReturn("false");
        Path folder = data.resolve("logs");
        Path file = folder.resolve("a.log");
        LogConfiguration config = config("INFO", "", file.toString());
        when(config.console()).thenReturn(true);
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        withStandardOutput(printed, () -> {
            activate(config);
            listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "before"));
            await().until(() -> Files.exists(file) && Files.readString(file).contains("l: before"));
            Files.delete(file);
            Files.delete(folder);
            Files.writeString(folder, "a file where the log's folder was");
            listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "during"));
            await().until(() -> printed.toString(StandardCharsets.UTF_8).contains("l: during"));
            Files.delete(folder);
            listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "after"));
            backend.deactivate();
            backend = null;
        });

        assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("l: before", "l: after");
        assertThat(Files.readString(file)).contains("l: after").doesNotContain("l: during");
    }

    @Test
    void withNoFileTheConsolePropertyFalseStillLetsRecordsOut() throws Exception {
        Path tmp = Files.createDirectory(data.resolve("tmp"));
        Files.setPosixFilePermissions(Files.createDirectory(tmp.resolve("msf-data-tester")),
                PosixFilePermissions.fromString("rwxrwxrwx")); // the default data folder refused: no file
        when(context.getProperty("msf.data")).thenReturn(null);
        when(context.getProperty("java.io.tmpdir")).thenReturn(tmp.toString());
        when(context.getProperty("user.name")).thenReturn("tester");
        when(context.getProperty("msf.log.console")).thenReturn("false");
        LogConfiguration config = config("INFO", "", "");
        when(config.console()).thenReturn(true);
        String printed = printedDuring(() -> {
            activate(config);
            listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "a record"));
            backend.deactivate();
            backend = null;
        });

        assertThat(printed).contains("l: a record");
    }

    @Test
    void withoutTheConsolePropertyConsoleTrueWritesToStandardOutput() throws Exception {
        LogConfiguration config = config("INFO", "", data.resolve("a.log").toString());
        when(config.console()).thenReturn(true);
        String printed = printedDuring(() -> {
            activate(config);
            listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "a record"));
            backend.deactivate();
            backend = null;
        });

        assertThat(printed).contains("l: a record").doesNotContain("not to standard output");
    }

    /** What goes to standard output while {@code run} runs. */
    private static String printedDuring(ThrowingRunnable run) throws Exception {
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        withStandardOutput(printed, run);
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** Runs {@code run} with standard output going to {@code stream}, then puts it back. */
    private static void withStandardOutput(OutputStream stream, ThrowingRunnable run) throws Exception {
        PrintStream out = System.out;
        System.setOut(new PrintStream(stream, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setOut(out);
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aNewFileSettingMovesTheLogWithoutLosingRecords() throws Exception {
        Path first = data.resolve("first.log");
        Path second = data.resolve("second.log");
        activate(config("INFO", "", first.toString()));
        listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "before"));

        backend.modified(config("INFO", "", second.toString()), Map.of());
        listener.logged(TestEntry.of("a", LogLevel.INFO, "l", "after"));
        backend.deactivate();
        backend = null;

        assertThat(Files.readString(first)).contains("before").doesNotContain("after");
        assertThat(Files.readString(second)).contains("after").doesNotContain("before");
    }

    /** Standard output that blocks in every write until {@code held} is counted down. */
    private static OutputStream heldUntil(CountDownLatch held) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                try {
                    held.await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
            }
        };
    }
}
