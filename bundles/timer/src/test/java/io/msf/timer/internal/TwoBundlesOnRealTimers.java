package io.msf.timer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * The timers with their real worker thread and clock, used by two bundles through their own TimerService,
 * stopped after each test: the fixture of the tests that run tasks for real.
 */
abstract class TwoBundlesOnRealTimers {

    static final Duration PATIENCE = Duration.ofSeconds(10);
    final RecordingEvents events = new RecordingEvents();
    final Timers timers = new Timers(new WheelSettings(1, 64, 1000), System::nanoTime, events);
    final OwnerTimerService app = new OwnerTimerService(timers, "io.example.app");
    final OwnerTimerService other = new OwnerTimerService(timers, "io.example.other");

    @AfterEach
    void stop() throws InterruptedException {
        assertThat(timers.stop(5000)).isTrue();
    }
}
