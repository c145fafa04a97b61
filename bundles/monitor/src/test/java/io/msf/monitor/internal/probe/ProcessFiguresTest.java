package io.msf.monitor.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProcessFiguresTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void cpuIsAShareOfAllCores() {
        ProcessReading before = reading(0, 10 * SECOND, 0);
        ProcessReading after = reading(SECOND, 11 * SECOND, 0);
        ProcessFigures figures = ProcessFigures.between(before, after, 2);
        assertThat(figures.cpuPercent()).isCloseTo(50, within(1e-9));
        assertThat(figures.cpuSeconds()).isCloseTo(11, within(1e-9));
    }

    @Test
    void gcIsAShareOfTheWallTime() {
        ProcessFigures figures = ProcessFigures.between(reading(0, 0, 1000), reading(2 * SECOND, 0, 1500), 4);
        assertThat(figures.gcPercent()).isCloseTo(25, within(1e-9));
        assertThat(figures.gcSeconds()).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void unknownCpuStaysUnknown() {
        ProcessFigures figures = ProcessFigures.between(reading(0, -1, 0), reading(SECOND, -1, 0), 2);
        assertThat(figures.cpuPercent()).isEqualTo(-1);
        assertThat(figures.cpuSeconds()).isEqualTo(-1);
    }

    @Test
    void heapAndFilesAsPercentages() {
        ProcessFigures figures = new ProcessFigures(300, 400, 1, 256, 1024, 0, 0, 0, 0);
        assertThat(figures.heapPercent()).isEqualTo(75);
        assertThat(figures.openFilesPercent()).isEqualTo(25);
        assertThat(new ProcessFigures(0, 1, 1, 10, -1, 0, 0, 0, 0).openFilesPercent()).isEqualTo(-1);
    }

    @Test
    void rates() {
        assertThat(Rates.perSecond(50, SECOND / 2)).isEqualTo(100);
        assertThat(Rates.perSecond(50, 0)).isZero();
        assertThat(Rates.increase(-1, 10)).as("first reading").isZero();
        assertThat(Rates.increase(10, 4)).as("reset").isZero();
        assertThat(Rates.increase(4, 10)).isEqualTo(6);
        assertThat(Rates.percent(1, 0)).isZero();
    }

    private static ProcessReading reading(long nanoTime, long cpuNanos, long gcMillis) {
        return new ProcessReading(nanoTime, 1, 2, 3, 4, 5, cpuNanos, gcMillis);
    }
}
