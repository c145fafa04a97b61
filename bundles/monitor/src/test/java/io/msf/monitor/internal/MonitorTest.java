package io.msf.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.isA;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.event.api.ThreadAccounting;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.net.api.NetworkService;
import io.msf.settings.testing.ScrValues;
import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerService;
import io.msf.timer.api.TimerStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;

class MonitorTest {

    private final List<Event> posted = new CopyOnWriteArrayList<>();
    private final AtomicReference<Runnable> tick = new AtomicReference<>();
    private final BundleContext context = mock(BundleContext.class);
    private final TimerService timers = mock(TimerService.class);
    private final Logger log = mock(Logger.class);

    @Test
    void anAlertOnAServiceWhoseTimersAreAllItOwnsClearsWhenTheyFireNotAsTheAlertOfAServiceGone() {
        Bundle service = mock(Bundle.class);
        when(service.getSymbolicName()).thenReturn("io.timers.only");
        when(service.getState()).thenReturn(Bundle.ACTIVE);
        when(context.getBundles()).thenReturn(new Bundle[] {service});
        when(timers.statsByOwner()).thenReturn(Map.of("io.timers.only", new TimerStats(5, 0, 0, 0, 0)));
        Monitor monitor = monitor(Map.of("pendingTimers", 2L, "heapPercent", 0.0, "gcPercent", 0.0,
                "openFilesPercent", 0.0, "processCpuPercent", 0.0, "threadCpuPercent", 0.0));
        tick.get().run();
        await().atMost(Duration.ofSeconds(10)).until(() -> !posted.isEmpty());
        assertThat(posted).extracting(e -> e.getProperty(AlertAnnouncer.STATE)).containsExactly("raised");

        when(timers.statsByOwner()).thenReturn(Map.of("io.timers.only", new TimerStats(0, 5, 0, 0, 0)));
        tick.get().run();

        // The very next sample clears it: one that lost the service would wait for it 3 samples.
        await().atMost(Duration.ofSeconds(10)).until(() -> posted.size() == 2);
        assertThat(posted).filteredOn(e -> "cleared".equals(e.getProperty(AlertAnnouncer.STATE)))
                .singleElement().satisfies(cleared -> {
                    assertThat(cleared.getProperty(AlertAnnouncer.SUBJECT)).isEqualTo("io.timers.only");
                    assertThat(cleared.getProperty(AlertAnnouncer.GONE)).isEqualTo(false);
                    assertThat(cleared.getProperty(AlertAnnouncer.MESSAGE).toString())
                            .doesNotContain("no longer sampled");
                });
    }

    @Test
    void aStoppingMonitorClearsItsOpenAlertsSoThatNoRaisedOneIsLeftWithoutItsClear() throws Exception {
        // Any heap in use is over 0.001 % of the maximum: the first sample raises the heap alert, and no other.
        Monitor monitor = monitor(Map.of("heapPercent", 0.001, "gcPercent", 0.0, "openFilesPercent", 0.0,
                "processCpuPercent", 0.0, "threadCpuPercent", 0.0));
        tick.get().run();
        await().atMost(Duration.ofSeconds(10)).until(() -> !posted.isEmpty());
        assertThat(posted).extracting(e -> e.getProperty(AlertAnnouncer.STATE)).containsExactly("raised");

        monitor.deactivate();

        assertThat(posted).filteredOn(e -> "cleared".equals(e.getProperty(AlertAnnouncer.STATE)))
                .singleElement().satisfies(cleared -> {
                    assertThat(cleared.getTopic()).isEqualTo("msf/alert/heap");
                    assertThat(cleared.getProperty(AlertAnnouncer.SUBJECT)).isEqualTo(AlertRules.PROCESS);
                    assertThat(cleared.getProperty(AlertAnnouncer.MESSAGE).toString())
                            .contains("the monitor stopped");
                });
        assertThat(monitor.openAlerts()).isEmpty();
    }

    @Test
    void aValueThatCannotBeReadIsRejectedNamingThePidAndTheKeyAndThePreviousSettingsStay() {
        Monitor monitor = monitor(Map.of("sampleMillis", 250L));

        monitor.modified(ScrValues.unconvertible(MonitorConfiguration.class,
                ConfigDefaults.of(MonitorConfiguration.class, Map.of("sampleMillis", 500L)), "heapPercent", "ninety"));

        assertThat(monitor.settings().sampleMillis()).isEqualTo(250);
        ArgumentCaptor<Object> why = ArgumentCaptor.forClass(Object.class);
        verify(log).error(contains("rejected"), eq(Monitor.PID), why.capture(), eq("keeping the settings in force"));
        assertThat(why.getValue().toString()).contains("heapPercent: the value cannot be read as a number")
                .contains("ninety");
    }

    /** Refused at the start there are no previous settings to keep: the line says the defaults apply. */
    @Test
    void aValueRefusedAtTheStartLeavesTheDefaultsAndSaysSo() {
        Monitor monitor = monitor(Map.of("sampleMillis", 50L));

        assertThat(monitor.settings().sampleMillis()).isEqualTo(1000);
        verify(log).error("Configuration {} rejected: {}; {}", Monitor.PID, "sampleMillis: 50 is not in 100..60000",
                "the defaults apply");
    }

    @Test
    void aSampleThatEndsAfterTheMonitorStoppedRaisesNoAlertThatNothingWouldClear() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> sampling = new AtomicReference<>();
        when(timers.statsByOwner()).thenAnswer(call -> {
            sampling.set(Thread.currentThread());
            awaitIgnoringInterrupts(release);
            return Map.of();
        });
        // Any heap in use is over 0.001 % of the maximum: the sample, once it ends, raises the heap alert.
        Monitor monitor = monitor(Map.of("heapPercent", 0.001, "gcPercent", 0.0, "openFilesPercent", 0.0,
                "processCpuPercent", 0.0, "threadCpuPercent", 0.0));
        tick.get().run();
        await().atMost(Duration.ofSeconds(10)).until(() -> sampling.get() != null);

        monitor.deactivate();   // gives up waiting for the sample after 5 s
        release.countDown();
        sampling.get().join(10_000);

        assertThat(sampling.get().isAlive()).isFalse();
        assertThat(posted).isEmpty();
        assertThat(monitor.openAlerts()).isEmpty();
    }

    /**
     * A source that throws (here the timers; the agent going away during the call likewise) threw the whole
     * sample away: the process alerts, which need nothing of it, were neither raised nor cleared, and an ERROR
     * with its stack trace was logged at every sample. The others still count; the failure is told once,
     * naming the source, and again when it is read once more.
     */
    @Test
    void aSourceThatThrowsLeavesTheOtherFiguresCountingAndIsToldOnceAndWhenItIsBack() {
        when(timers.statsByOwner()).thenThrow(new IllegalStateException("timer going away"));
        Monitor monitor = monitor(Map.of("heapPercent", 0.001, "gcPercent", 0.0, "openFilesPercent", 0.0,
                "processCpuPercent", 0.0, "threadCpuPercent", 0.0));
        sampleOnce(monitor);
        sampleOnce(monitor);
        sampleOnce(monitor);

        assertThat(posted).extracting(e -> e.getProperty(AlertAnnouncer.STATE)).containsExactly("raised");
        String source = "the timers per owner (msf.timer)";
        verify(log, times(1)).warn(contains("cannot be read"), eq(Monitor.PID), eq(source),
                isA(IllegalStateException.class));

        doReturn(Map.of()).when(timers).statsByOwner();
        sampleOnce(monitor);
        verify(log, times(1)).info(contains("is read again"), eq(Monitor.PID), eq(source), eq(3));
        verify(log, never()).error(anyString(), any(Throwable.class));
    }

    /** Runs one tick and waits for its sample to be the latest. */
    private void sampleOnce(Monitor monitor) {
        Snapshot before = monitor.latest();
        tick.get().run();
        await().atMost(Duration.ofSeconds(10)).until(() -> monitor.latest() != before);
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // a sample that does not heed the interrupt of shutdownNow, as one blocked in I/O
            }
        }
    }

    private Monitor monitor(Map<String, Object> config) {
        if (context.getBundles() == null) {
            when(context.getBundles()).thenReturn(new Bundle[0]);
        }
        when(timers.scheduleAtFixedRate(any(), anyLong(), anyLong(), any(TimeUnit.class))).thenAnswer(call -> {
            tick.set(call.getArgument(0));
            return mock(Timeout.class);
        });
        EventAdmin events = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                posted.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                posted.add(event);
            }
        };
        return new Monitor(ConfigDefaults.of(MonitorConfiguration.class, config), context, timers, mock(MemoryPoolAdmin.class),
                mock(NetworkService.class), mock(ThreadAccounting.class), events, log);
    }
}
