package io.msf.shell.internal.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.log.api.LogLine;
import io.msf.text.Units;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

class LogCommandsTest {

    private static final Instant T1 = Instant.parse("2024-05-01T10:15:30.001Z");
    private static final Instant T2 = Instant.parse("2024-05-01T10:15:31.002Z");
    private static final Instant T3 = Instant.parse("2024-05-01T10:15:32.003Z");

    private final TestServices.Log log = new TestServices.Log(List.of(
            new LogLine(T1, "INFO", "io.msf.net", "io.msf.net", "endpoint api open on 127.0.0.1:8080", ""),
            new LogLine(T2, "WARN", "io.msf.net", "io.msf.net.internal.Framer", "frame too big from 127.0.0.1:5555",
                    ""),
            new LogLine(T3, "ERROR", "com.example.app", "", "task failed",
                    "java.lang.IllegalStateException: boom\n\tat com.example.App.run(App.java:12)\n")));
    private final LogCommands commands = new LogCommands(bundles("io.msf.net", "com.example.app"),
            TestServices.Fixed.none().with(log));

    @Test
    void tailShowsTheLastRecordsOldestFirst() {
        String out = commands.tail(2);

        assertThat(out.lines()).containsExactly(
                Units.timeMillis(T2)
                        + " WARN  io.msf.net [io.msf.net.internal.Framer]: frame too big from 127.0.0.1:5555",
                Units.timeMillis(T3) + " ERROR com.example.app: task failed",
                "java.lang.IllegalStateException: boom",
                "\tat com.example.App.run(App.java:12)");
    }

    @Test
    void tailIndentsLineBreaksOfAMessageAndOfAnExceptionsMessageSoThatNoneShowsAsARecord() {
        String forged = Units.timeMillis(T1) + " INFO  io.msf.agent: all is well";
        TestServices.Log peerText = new TestServices.Log(List.of(
                new LogLine(T2, "WARN", "io.msf.net", "", "bad name 'x\n" + forged + "'", ""),
                new LogLine(T2, "WARN", "io.msf.net", "", "bad name 'y\r" + forged + "'", ""),
                new LogLine(T3, "ERROR", "io.msf.net", "", "task failed",
                        "java.io.IOException: peer said a\r\n" + forged + "\n\tat io.msf.net.Peer.read(Peer.java:1)\n"
                                + "Caused by: java.io.EOFException: b\n" + forged + "\n\t... 1 more\n")));
        LogCommands withPeerText = new LogCommands(bundles("io.msf.net"), TestServices.Fixed.none().with(peerText));

        assertThat(withPeerText.tail(3).lines()).containsExactly(
                Units.timeMillis(T2) + " WARN  io.msf.net: bad name 'x",
                "    " + forged + "'",
                Units.timeMillis(T2) + " WARN  io.msf.net: bad name 'y",
                "    " + forged + "'",
                Units.timeMillis(T3) + " ERROR io.msf.net: task failed",
                "java.io.IOException: peer said a",
                "    " + forged,
                "\tat io.msf.net.Peer.read(Peer.java:1)",
                "Caused by: java.io.EOFException: b",
                "    " + forged,
                "\t... 1 more");
    }

    @Test
    void tailOfALogThatKeepsNoneSaysSoAndHowToKeepThem() {
        log.tailSize = 0;

        assertThat(commands.tail(20)).isEqualTo("No log records are kept for log:tail: tailSize of msf.log is 0"
                + " (the records are in the log file); set tailSize in etc/msf.log.cfg, e.g. to 1000, to keep the last"
                + " ones.\n");
    }

    @Test
    void tailOfAQuietLogSaysThereAreNone() {
        LogCommands quiet = new LogCommands(bundles(), TestServices.Fixed.none().with(new TestServices.Log(List.of())));

        assertThat(quiet.tail(20)).isEqualTo("No log records.\n");
    }

    @Test
    void tailCountIsBoundedByTheRecordsKept() {
        log.tailSize = 2;

        assertThatThrownBy(() -> commands.tail(0)).hasMessage("-n must be at least 1, not 0");
        assertThatThrownBy(() -> commands.tail(3)).hasMessage("-n 3 is more than the 2 records kept (tailSize of"
                + " msf.log); ask for at most 2, or raise tailSize in etc/msf.log.cfg (at most 100000) to keep more");
        assertThat(commands.tail(2).lines()).first().asString().contains("frame too big");
    }

    @Test
    void tailCountFollowsALargeTailSizeBeyondTheOldFixedCapOf10000() {
        log.tailSize = 100_000;

        assertThat(commands.tail(50_000).lines()).first().asString().contains("endpoint api open");
    }

    @Test
    void tailByDefaultShowsAllOfFewerRecordsKeptWithoutComplaint() {
        log.tailSize = 2;

        assertThat(commands.tail(LogCommands.DEFAULT_COUNT).lines()).first().asString().contains("frame too big");
    }

    @Test
    void levelListsRootFirstThenBundlesByName() {
        log.levels.put("io.msf.net", "DEBUG");
        log.levels.put("com.example.app", "WARN");

        assertThat(commands.level()).isEqualTo(""
                + "BUNDLE           LEVEL\n"
                + "---------------  -----\n"
                + "ROOT             INFO\n"
                + "com.example.app  WARN\n"
                + "io.msf.net       DEBUG\n");
    }

    @Test
    void levelSetsABundleLevelInAnyCase() {
        String out = commands.level("io.msf.net", "debug");

        assertThat(log.levels).containsEntry("io.msf.net", "DEBUG");
        assertThat(out).isEqualTo("io.msf.net: level DEBUG (was the root level), saved in configuration msf.log;"
                + " written into its etc/ file unless a WARN line of log:tail says it is not\n");
    }

    @Test
    void levelSetsRoot() {
        String out = commands.level("root", "WARN");

        assertThat(log.levels).containsEntry("ROOT", "WARN");
        assertThat(out).isEqualTo("ROOT: level WARN (was INFO), saved in configuration msf.log;"
                + " written into its etc/ file unless a WARN line of log:tail says it is not\n");
    }

    /** A bundle's own level could only be set from the console: 'default' was refused as a bad level. */
    @Test
    void levelDefaultRemovesABundlesOwnLevelEvenOfABundleNoLongerInstalled() {
        log.levels.put("io.msf.net", "DEBUG");
        log.levels.put("com.example.gone", "TRACE");

        String out = commands.level("io.msf.net", "default");
        String gone = commands.level("com.example.gone", "DEFAULT");

        assertThat(log.levels).containsOnlyKeys("ROOT");
        assertThat(out).isEqualTo("io.msf.net: level of its own removed (was DEBUG), logs at the root level INFO;"
                + " saved in configuration msf.log; written into its etc/ file unless a WARN line of log:tail says"
                + " it is not\n");
        assertThat(gone).startsWith("com.example.gone: level of its own removed (was TRACE)");
        assertThat(commands.level("io.msf.net", "default"))
                .isEqualTo("io.msf.net: has no level of its own, nothing changed; it logs at the root level INFO\n");
    }

    @Test
    void levelDefaultOfRootOrOfANameWithoutLevelOrBundleIsRefused() {
        assertThatThrownBy(() -> commands.level("root", "default")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ROOT has no default to go back to: every bundle without a level of its own logs at it;"
                        + " set it with log:level ROOT <LEVEL> (TRACE, DEBUG, INFO, WARN, ERROR, OFF)");
        assertThatThrownBy(() -> commands.level("io.msf.nope", "default")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown bundle 'io.msf.nope'");
        assertThat(log.levels).containsOnlyKeys("ROOT");
    }

    /** With the bundle alone, Gogo found no method to call and said only that it could not coerce. */
    @Test
    void levelOfOneBundleIsItsOwnOrTheRootLevel() {
        log.levels.put("io.msf.net", "DEBUG");

        assertThat(commands.level("io.msf.net")).isEqualTo("io.msf.net: level DEBUG (its own)\n");
        assertThat(commands.level("com.example.app")).isEqualTo("com.example.app: level INFO (the root level)\n");
        assertThat(commands.level("root")).isEqualTo("ROOT: level INFO\n");
        log.levels.put("com.example.gone", "TRACE"); // listed by log:level though no longer installed
        assertThat(commands.level("com.example.gone")).isEqualTo("com.example.gone: level TRACE (its own)\n");
        assertThatThrownBy(() -> commands.level("io.msf.nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown bundle 'io.msf.nope': no installed bundle has that symbolic name (lb -s lists"
                        + " them)");
    }

    @Test
    void unknownBundleAndBadLevelAreReportedTogetherAndChangeNothing() {
        assertThatThrownBy(() -> commands.level("io.msf.nope", "LOUD"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown bundle 'io.msf.nope': no installed bundle has that symbolic name (lb -s lists "
                        + "them); bad level 'LOUD': use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
        assertThat(log.levels).containsOnlyKeys("ROOT");
    }

    @Test
    void missingLogServiceIsAnError() {
        LogCommands withoutLog = new LogCommands(bundles("io.msf.net"), TestServices.Fixed.none());

        assertThatThrownBy(() -> withoutLog.level("io.msf.net", "DEBUG"))
                .hasMessageContaining("log service is missing");
    }

    static BundleContext bundles(String... symbolicNames) {
        BundleContext context = mock(BundleContext.class);
        Bundle[] bundles = new Bundle[symbolicNames.length];
        for (int i = 0; i < bundles.length; i++) {
            bundles[i] = mock(Bundle.class);
            when(bundles[i].getSymbolicName()).thenReturn(symbolicNames[i]);
            when(bundles[i].getState()).thenReturn(Bundle.ACTIVE);
        }
        when(context.getBundles()).thenReturn(bundles);
        return context;
    }
}
