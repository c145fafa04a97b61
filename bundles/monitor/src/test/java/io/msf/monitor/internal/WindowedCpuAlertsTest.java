package io.msf.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.event.api.BundleUsage;
import io.msf.monitor.internal.alert.AlertBook;
import io.msf.monitor.internal.alert.AlertChange;
import io.msf.monitor.internal.probe.ProcessFigures;
import io.msf.monitor.internal.probe.ServiceProbe;
import io.msf.monitor.internal.probe.ThreadCpu;
import io.msf.monitor.internal.probe.ThreadCpuProbe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The thread and service CPU alerts over a fed sequence of one-second samples, through the monitor's
 * probes and alert logic: they follow the alert window as the process's CPU and GC alerts do. They read
 * one sample, so a loop or a service busy in bursts near the threshold raised and cleared its alert at
 * every sample.
 */
class WindowedCpuAlertsTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long MILLI = 1_000_000L;

    private final AlertBook book = new AlertBook();
    private final List<String> changes = new ArrayList<>();
    private final List<ThreadCpu> threads = new ArrayList<>();
    private final ThreadCpuProbe threadProbe = new ThreadCpuProbe(() -> List.copyOf(threads));
    private final ServiceProbe serviceProbe = new ServiceProbe();
    private long nanos;
    private long loopCpu;
    /** The loop thread's id and number: a new one is a new thread (its group restarted), with no past. */
    private long loopThread = 1;
    private long serviceCpu;

    @Test
    void aLoopBusyInBurstsNearTheThresholdDoesNotRaiseAndClearAtEverySample() {
        Settings settings = SettingsTest.onlyAlerts(Map.of("threadCpuPercent", 80.0, "alertWindowMillis", 10_000L));
        for (int second = 0; second < 40; second++) {
            sample(settings, second % 2 == 0 ? 950 : 300, 0); // 95 % one second, 30 % the next: 62.5 % over the window
        }
        assertThat(changes).isEmpty();
    }

    @Test
    void aLoopOverTheThresholdForTheWindowRaisesOnceAfterAFullWindowAndClearsOnceItHasLeftIt() {
        Settings settings = SettingsTest.onlyAlerts(Map.of("threadCpuPercent", 80.0, "alertWindowMillis", 10_000L));
        for (int second = 0; second < 10; second++) {
            sample(settings, 1000, 0);
        }
        assertThat(changes).as("10 samples after the thread was first seen: 9 s of a 10 s window").isEmpty();
        sample(settings, 1000, 0);
        assertThat(changes).containsExactly("raised cpu threads msf-io");
        for (int second = 0; second < 30; second++) {
            sample(settings, second % 2 == 0 ? 1000 : 0, 0); // 50 % over the window
        }
        assertThat(changes).containsExactly("raised cpu threads msf-io", "cleared cpu threads msf-io");
    }

    /**
     * A group's threads replaced (msf.event changed the loops) while its alert is open: the new thread has no
     * figure until its readings span the window. That is not a figure back under the threshold: the alert
     * stays open, not cleared with the figure last read (over the threshold) and raised again a window later.
     */
    @Test
    void anOpenAlertStaysOpenWhileTheFigureIsUnknownAndClearsOnlyOnAFigureUnder() {
        Settings settings = SettingsTest.onlyAlerts(Map.of("threadCpuPercent", 80.0, "alertWindowMillis", 10_000L));
        for (int second = 0; second < 11; second++) {
            sample(settings, 1000, 0);
        }
        assertThat(changes).containsExactly("raised cpu threads msf-io");

        loopThread = 2;
        loopCpu = 0;
        for (int second = 0; second < 20; second++) {
            sample(settings, 1000, 0);
        }
        assertThat(changes).as("still busy, on a new thread").containsExactly("raised cpu threads msf-io");
        assertThat(book.open()).singleElement().satisfies(alert -> assertThat(alert.value()).isEqualTo(100.0));

        for (int second = 0; second < 11; second++) {
            sample(settings, 0, 0);
        }
        assertThat(changes).containsExactly("raised cpu threads msf-io", "cleared cpu threads msf-io");
    }

    /**
     * A group whose threads all live shorter than the window (one per task, say) has no figure: an alert
     * of it raised while a thread lived long stayed open, showing the figure of a thread long gone, for as
     * long as the group had threads. It clears once its figure has been unknown for the window and one
     * sampling period more.
     */
    @Test
    void anOpenAlertOfAGroupWhoseThreadsAllLiveShorterThanTheWindowClearsAWindowAndASampleLater() {
        Settings settings = SettingsTest.onlyAlerts(Map.of("threadCpuPercent", 80.0, "alertWindowMillis", 10_000L));
        for (int second = 0; second < 11; second++) {
            sample(settings, 1000, 0);
        }
        assertThat(changes).containsExactly("raised cpu threads msf-io");

        for (int second = 0; second < 11; second++) {
            newLoopThread();
            sample(settings, 1000, 0);
        }
        assertThat(changes).as("unknown for 10 s: a replaced thread would be known by now").hasSize(1);
        newLoopThread();
        sample(settings, 1000, 0);
        assertThat(changes).as("unknown for 11 s").containsExactly("raised cpu threads msf-io",
                "cleared cpu threads msf-io");
        for (int second = 0; second < 30; second++) {
            newLoopThread();
            sample(settings, 1000, 0);
        }
        assertThat(changes).as("nothing raised on an unknown figure").hasSize(2);
    }

    @Test
    void aServiceBusyInBurstsNearItsThresholdDoesNotRaiseAndClearAtEverySample() {
        Settings settings = SettingsTest.onlyAlerts(Map.of("serviceCpuPercent", 80.0, "alertWindowMillis", 10_000L));
        for (int second = 0; second < 40; second++) {
            sample(settings, 0, second % 2 == 0 ? 950 : 300);
        }
        assertThat(changes).isEmpty();
        for (int second = 0; second < 20; second++) {
            sample(settings, 0, 1000);
        }
        assertThat(changes).containsExactly("raised cpu io.msf.busy");
    }

    @Test
    void aWindowShorterThanTheSamplingPeriodFollowsEachSample() {
        Settings settings = SettingsTest.onlyAlerts(Map.of("threadCpuPercent", 80.0, "serviceCpuPercent", 80.0,
                "alertWindowMillis", 0L));
        sample(settings, 0, 0); // first seen: no figure yet
        for (int second = 0; second < 2; second++) {
            sample(settings, 950, 950);
            sample(settings, 300, 300);
        }
        assertThat(changes).containsExactly("raised cpu threads msf-io", "raised cpu io.msf.busy",
                "cleared cpu threads msf-io", "cleared cpu io.msf.busy", "raised cpu threads msf-io",
                "raised cpu io.msf.busy", "cleared cpu threads msf-io", "cleared cpu io.msf.busy");
    }

    /** The loop's thread ends and a new one takes its place in the group. */
    private void newLoopThread() {
        loopThread++;
        loopCpu = 0;
    }

    /**
     * One sampling period of a second in which the loop thread msf-io-1 used {@code loopMillis} of CPU and
     * the service io.msf.busy (its executor thread) {@code serviceMillis}.
     */
    private void sample(Settings settings, long loopMillis, long serviceMillis) {
        nanos += SECOND;
        loopCpu += loopMillis * MILLI;
        serviceCpu += serviceMillis * MILLI;
        threads.clear();
        threads.add(new ThreadCpu(loopThread, "msf-io-" + loopThread, loopCpu));
        long window = settings.alertWindowMillis() * MILLI;
        ProcessFigures process = new ProcessFigures(10, 100, 1000, 10, 1000, 0, -1, 0, -1);
        Snapshot sample = new Snapshot(Instant.EPOCH.plusNanos(nanos), process,
                threadProbe.sample(settings.threadPrefix(), nanos, window),
                serviceProbe.sample(Set.of("io.msf.busy"), List.of(), Map.of(), List.of(), List.of(),
                        List.of(new BundleUsage("io.msf.busy", 42, 1, 1, serviceCpu, 0, 0)), nanos, window),
                List.of());
        for (AlertChange change : book.update(AlertRules.readings(sample, settings, Map.of()),
                AlertRules.subjects(sample), sample.time(), AlertRules.unknownRounds(settings))) {
            changes.add((change.raised() ? "raised " : "cleared ") + change.alert().kind().token() + " "
                    + change.alert().subject());
        }
    }
}
