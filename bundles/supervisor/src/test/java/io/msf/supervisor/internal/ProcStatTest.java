package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcStatTest {

    /** A program may be named with blanks and parentheses: the fields are those after the last ')'. */
    @Test
    void theFieldsAreReadAfterTheLastParenthesisOfTheName() {
        ProcStat stat = ProcStat.parse("4242 (a) b (c) 1 2) S 1 4200 4200 0 -1 4194560 107 0 0 0 0 0 0 0 20 0 1 0"
                + " 987654 5955584 140 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n");

        assertThat(stat.state()).isEqualTo('S');
        assertThat(stat.group()).isEqualTo(4200);
        assertThat(stat.startTicks()).isEqualTo(987654);
        assertThat(stat.running()).isTrue();
    }

    @Test
    void aZombieIsNotRunning() {
        assertThat(ProcStat.parse("7 (x) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0").running()).isFalse();
    }

    @Test
    void aLineThatIsNoStatIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> ProcStat.parse("4242 sleep S 1 4200"));
        assertThatIllegalArgumentException().isThrownBy(() -> ProcStat.parse("4242 (sleep) S 1 4200 4200 0"));
        assertThatIllegalArgumentException().isThrownBy(() -> ProcStat.parse(
                "7 (x) Z 1 seven 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0"));
    }

    @Test
    void thisProcessStartedAfterTheBootAndBeforeAChildOfIt() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "/proc");
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            long own = ProcStat.of(ProcessHandle.current().pid()).orElseThrow().startTicks();
            assertThat(own).isPositive();
            assertThat(ProcStat.of(child.pid()).orElseThrow().startTicks()).isGreaterThanOrEqualTo(own);
        } finally {
            child.destroyForcibly();
        }
    }
}
