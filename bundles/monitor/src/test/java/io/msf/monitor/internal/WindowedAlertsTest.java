package io.msf.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.monitor.internal.alert.AlertBook;
import io.msf.monitor.internal.alert.AlertChange;
import io.msf.monitor.internal.alert.AlertKind;
import io.msf.monitor.internal.probe.ProcessFigures;
import io.msf.monitor.internal.probe.ProcessReading;
import io.msf.monitor.internal.probe.ProcessWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The GC and process CPU alerts over a fed sequence of one-second samples, through the monitor's alert logic. */
class WindowedAlertsTest {

    private static final long SECOND = 1_000_000_000L;
    private static final int CORES = 2;

    private final AlertBook book = new AlertBook();
    private final List<String> changes = new ArrayList<>();
    private long nanos;
    private long cpuNanos;
    private long gcMillis;
    private ProcessReading previous = reading();
    private final ProcessWindow window = new ProcessWindow(previous);

    @Test
    void gcInBurstsNearTheThresholdDoesNotRaiseAndClearAtEverySample() {
        Settings settings = SettingsTest.onlyAlerts(Map.of("gcPercent", 25.0, "alertWindowMillis", 10_000L));
        for (int second = 0; second < 40; second++) {
            sample(settings, second % 2 == 0 ? 300 : 0, 0); // 30 % one second, none the next: 15 % over the window
        }
        assertThat(changes).isEmpty();
    }

    @Test
    void gcOverTheThresholdForTheWindowRaisesOnceAndClearsOnceItHasLeftIt() {
        Settings settings = SettingsTest.onlyAlerts(Map.of("gcPercent", 25.0, "alertWindowMillis", 10_000L));
        for (int second = 0; second < 30; second++) {
            sample(settings, second % 2 == 0 ? 600 : 100, 0); // 60 % and 10 %: 35 % over the window
        }
        for (int second = 0; second < 30; second++) {
            sample(settings, second % 2 == 0 ? 300 : 0, 0);
        }
        assertThat(changes).containsExactly("raised gc", "cleared gc");
    }

    @Test
    void processCpuInBurstsFollowsTheWindowToo() {
        Settings settings = SettingsTest.onlyAlerts(Map.of("processCpuPercent", 90.0, "alertWindowMillis", 10_000L));
        for (int second = 0; second < 40; second++) {
            sample(settings, 0, second % 3 == 0 ? 2 * SECOND : SECOND); // 100 % then 50 %, 50 %: 67 %
        }
        assertThat(changes).isEmpty();
        for (int second = 0; second < 20; second++) {
            sample(settings, 0, CORES * SECOND);
        }
        assertThat(changes).containsExactly("raised cpu");
    }

    @Test
    void staysQuietUntilTheSamplesSpanTheWindow() {
        Settings settings = SettingsTest.onlyAlerts(Map.of("gcPercent", 25.0, "alertWindowMillis", 10_000L));
        for (int second = 0; second < 9; second++) {
            sample(settings, 1000, 0);
        }
        assertThat(changes).as("9 s of a 10 s window").isEmpty();
        sample(settings, 1000, 0);
        assertThat(changes).containsExactly("raised gc");
    }

    @Test
    void aWindowShorterThanTheSamplingPeriodFollowsEachSample() {
        Settings settings = SettingsTest.onlyAlerts(Map.of("gcPercent", 25.0, "alertWindowMillis", 0L));
        for (int second = 0; second < 4; second++) {
            sample(settings, second % 2 == 0 ? 300 : 0, 0);
        }
        assertThat(changes).containsExactly("raised gc", "cleared gc", "raised gc", "cleared gc");
    }

    /** One sampling period of a second in which the JVM spent {@code gc} ms in GC and {@code cpu} ns of CPU. */
    private void sample(Settings settings, long gc, long cpu) {
        nanos += SECOND;
        gcMillis += gc;
        cpuNanos += cpu;
        ProcessReading current = reading();
        ProcessFigures process = ProcessFigures.between(previous, current, CORES);
        ProcessFigures processWindow = window.over(current, settings.alertWindowMillis() * 1_000_000, CORES);
        previous = current;
        Snapshot sample = new Snapshot(Instant.EPOCH.plusNanos(nanos), process, processWindow, List.of(), List.of(),
                List.of());
        for (AlertChange change : book.update(AlertRules.readings(sample, settings, Map.of()),
                AlertRules.subjects(sample), sample.time(), AlertRules.unknownRounds(settings))) {
            changes.add((change.raised() ? "raised " : "cleared ") + change.alert().kind().token());
        }
    }

    private ProcessReading reading() {
        return new ProcessReading(nanos, 10, 100, 1000, 10, 1000, cpuNanos, gcMillis);
    }
}
