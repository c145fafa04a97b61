package io.msf.log.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.log.api.LogLine;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.LogLevel;

class LineFormatTest {

    private static final String NL = System.lineSeparator();
    private static final Instant TIME = Instant.parse("2025-05-01T12:03:07.123Z");

    @Test
    void oneLineWithIsoTimeLevelBundleLoggerAndMessage() {
        LogLine line = new LogLine(TIME, "INFO", "io.msf.net", "io.msf.net.internal.Endpoint", "listening", "");

        assertThat(new LineFormat(ZoneOffset.UTC).format(line))
                .isEqualTo("2025-05-01T12:03:07.123Z INFO  [io.msf.net] io.msf.net.internal.Endpoint: listening" + NL);
        assertThat(new LineFormat(ZoneId.of("Europe/Paris")).format(line))
                .startsWith("2025-05-01T14:03:07.123+02:00 INFO  ");
    }

    @Test
    void theStackTraceFollowsOnItsOwnLines() {
        LogEntryFixture fixture = new LogEntryFixture();
        LogLine line = LineFormat.toLine(fixture.entry);

        String text = new LineFormat(ZoneOffset.UTC).format(line);

        assertThat(text).startsWith("2023-11-14T22:13:20.000Z ERROR [io.msf.config] gate: rejected" + NL
                + "java.lang.IllegalStateException: boom" + NL + "\tat ");
        assertThat(text).contains("Caused by: java.io.IOException: root cause").endsWith(NL);
    }

    @Test
    void aLineBreakInAMessageIsIndentedSoItCannotPassForARecord() {
        LogLine line = new LogLine(TIME, "WARN", "b", "l", "peer said: hi\n2025-05-01T00:00:00Z ERROR [x] y: forged", "");

        assertThat(new LineFormat(ZoneOffset.UTC).format(line).lines())
                .containsExactly("2025-05-01T12:03:07.123Z WARN  [b] l: peer said: hi",
                        "    2025-05-01T00:00:00Z ERROR [x] y: forged");
    }

    @Test
    void controlCharactersOfAMessageAndItsStackTraceReachNoTerminal() {
        // a peer's name that clears the screen and sets the window title, CSI in its 8-bit form too
        TestEntry entry = new TestEntry(TestEntry.bundle("io.msf.agent"), LogLevel.WARN, "agent",
                "peer '\u001b[2J\u001b]0;owned\u0007' \u009b31m left", new IllegalStateException("bad\u001b[0m name"),
                1_700_000_000_000L);

        LogLine line = LineFormat.toLine(entry);

        assertThat(line.message()).isEqualTo("peer '\\u001b[2J\\u001b]0;owned\\u0007' \\u009b31m left");
        assertThat(line.exception()).startsWith("java.lang.IllegalStateException: bad\\u001b[0m name")
                .contains("\tat ").doesNotContain("\u001b");
        assertThat(LineFormat.printable("tab\tand\nlines\r\n stay")).isEqualTo("tab\tand\nlines\r\n stay");
    }

    @Test
    void aLineBreakInAnExceptionMessageIsIndentedSoItCannotPassForARecord() {
        TestEntry entry = new TestEntry(TestEntry.bundle("io.msf.agent"), LogLevel.WARN, "agent", "peer failed",
                new IllegalStateException("said: hi\n2025-05-01T00:00:00Z ERROR [x] y: forged",
                        new java.io.IOException("root")), 1_700_000_000_000L);

        String text = new LineFormat(ZoneOffset.UTC).format(LineFormat.toLine(entry));

        assertThat(text.lines()).contains("java.lang.IllegalStateException: said: hi",
                "    2025-05-01T00:00:00Z ERROR [x] y: forged");
        assertThat(text.lines().filter(l -> l.startsWith("2025-05-01"))).isEmpty();
        assertThat(text).contains(NL + "\tat ").contains(NL + "Caused by: java.io.IOException: root" + NL)
                .endsWith(NL).doesNotEndWith(NL + NL);
    }

    @Test
    void aRecordOfALogEntryCarriesItsFields() {
        TestEntry entry = TestEntry.of("io.msf.net", LogLevel.WARN, "io.msf.net.Echo", "slow peer");

        assertThat(LineFormat.toLine(entry)).isEqualTo(new LogLine(Instant.ofEpochMilli(1_700_000_000_000L), "WARN",
                "io.msf.net", "io.msf.net.Echo", "slow peer", ""));
    }

    private static final class LogEntryFixture {
        final TestEntry entry = new TestEntry(TestEntry.bundle("io.msf.config"), LogLevel.ERROR, "gate", "rejected",
                new IllegalStateException("boom", new java.io.IOException("root cause")), 1_700_000_000_000L);
    }
}
