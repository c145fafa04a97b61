package io.msf.shell.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.config.api.ConfigProblem;
import io.msf.text.Units;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigCommandsTest {

    private static final Instant AT = Instant.parse("2024-05-01T10:15:30Z");

    @Test
    void listsFileLineKeyAndReason() {
        TestServices.Gate gate = new TestServices.Gate(List.of(
                new ConfigProblem("etc/msf.timer.cfg", "msf.timer", "tickMillis", 4, "must be at least 1, not 0", AT),
                new ConfigProblem("etc/msf.net.endpoint~api.cfg", "msf.net.endpoint", "", 0, "cannot be read", AT)));

        String out = new ConfigCommands(TestServices.Fixed.none().with(gate)).rejected();

        String time = Units.time(AT);
        assertThat(out.lines()).containsSubsequence(
                "FILE:LINE                     PID               KEY         REJECTED AT"
                        + " ".repeat(time.length() - 11) + "  REASON",
                "etc/msf.timer.cfg:4           msf.timer         tickMillis  " + time + "  must be at least 1, not 0",
                "etc/msf.net.endpoint~api.cfg  msf.net.endpoint  (file)      " + time + "  cannot be read");
    }

    @Test
    void saysSoWhenNothingWasRejected() {
        assertThat(new ConfigCommands(TestServices.Fixed.none().with(new TestServices.Gate(List.of()))).rejected())
                .isEqualTo("No rejected configuration files.\n");
    }
}
