package io.msf.monitor.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuWindowsTest {

    private static final long SECOND = 1_000_000_000L;

    private final CpuWindows<String> windows = new CpuWindows<>();

    @Test
    void theShareOfTheWindowOnceTheReadingsSpanIt() {
        assertThat(windows.percent("a", 0, 0, 2 * SECOND)).isEqualTo(-1);
        assertThat(windows.percent("a", SECOND, SECOND, 2 * SECOND)).as("1 s of a 2 s window").isEqualTo(-1);
        assertThat(windows.percent("a", 2 * SECOND, SECOND, 2 * SECOND)).isEqualTo(50);
        assertThat(windows.percent("a", 3 * SECOND, SECOND, 2 * SECOND)).as("the first second has left").isEqualTo(0);
    }

    @Test
    void aThingMissingFromASampleIsForgottenAndWaitsAFullWindowIfItComesBack() {
        windows.percent("a", 0, 0, SECOND);
        windows.percent("b", 0, 0, SECOND);
        windows.sampled();
        windows.percent("a", SECOND, SECOND, SECOND);
        windows.sampled();

        assertThat(windows.kept()).isEqualTo(1);
        assertThat(windows.percent("b", 2 * SECOND, 2 * SECOND, SECOND)).isEqualTo(-1);
    }

    @Test
    void aCpuTimeThatGoesBackStartsOver() {
        windows.percent("a", 0, 5 * SECOND, SECOND);
        windows.percent("a", SECOND, 6 * SECOND, SECOND);

        assertThat(windows.percent("a", 2 * SECOND, SECOND, SECOND)).as("counted anew: no past").isEqualTo(-1);
        assertThat(windows.percent("a", 3 * SECOND, 2 * SECOND, SECOND)).isEqualTo(100);
    }
}
