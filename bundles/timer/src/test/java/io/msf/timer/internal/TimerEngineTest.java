package io.msf.timer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.ComponentException;
import org.osgi.service.log.Logger;

/** The two DS components, built as SCR would build them, with mocked OSGi plumbing. */
class TimerEngineTest {

    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Logger log = mock(Logger.class, invocation -> {
        logLines.add(invocation.getMethod().getName() + " " + Arrays.toString(invocation.getArguments()));
        return null;
    });
    private static final String FILE = "felix.fileinstall.filename";
    private TimerEngine engine;

    @AfterEach
    void deactivate() throws InterruptedException {
        engine.deactivate();
    }

    @Test
    void deactivatingABundlesViewCancelsOnlyThatBundlesTimers() {
        engine = new TimerEngine(config(10, 512, 1000), Map.of(), log);
        BundleTimerService app = view("io.example.app");
        BundleTimerService other = view("io.example.other");
        var mine = app.schedule(() -> { }, 1, TimeUnit.HOURS);
        var minePeriodic = app.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
        var theirs = other.schedule(() -> { }, 1, TimeUnit.HOURS);

        app.deactivate();

        assertThat(mine.isCancelled()).isTrue();
        assertThat(minePeriodic.isCancelled()).isTrue();
        assertThat(theirs.isCancelled()).isFalse();
        assertThat(other.pending()).extracting(info -> info.owner()).containsExactly("io.example.other");
        assertThat(logLines).anyMatch(line -> line.startsWith("info") && line.contains("2, io.example.app"));
    }

    @Test
    void aPeriodShorterThanAMillisecondIsListedAsOneNotAsAOneShotZero() {
        engine = new TimerEngine(config(10, 512, 1000), Map.of(), log);
        BundleTimerService app = view("io.example.app");
        app.scheduleAtFixedRate(() -> { }, TimeUnit.HOURS.toMicros(1), 500, TimeUnit.MICROSECONDS);
        app.schedule(() -> { }, 2, TimeUnit.HOURS);

        assertThat(app.pending()).extracting(info -> info.periodMillis()).containsExactly(1L, 0L);
    }

    /** As the event loops, the memory pool and the log name it: a monitor joining their figures sees one name. */
    @Test
    void aBundleWithoutSymbolicNameIsNamedByItsId() {
        engine = new TimerEngine(config(10, 512, 1000), Map.of(), log);
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(42L);

        assertThat(BundleTimerService.ownerName(bundle)).isEqualTo("bundle#42");
    }

    @Test
    void invalidConfigurationAtStartFallsBackToDefaultsAndSaysWhy() {
        engine = new TimerEngine(config(10, 500, 1000), Map.of(), log);

        assertThat(logLines).anyMatch(line -> line.startsWith("error") && line.contains("msf.timer")
                && line.contains("wheelSize must be a power of two") && line.contains("maxPending=1000000"));
        CountDownLatch fired = new CountDownLatch(1);
        view("io.example.app").schedule(fired::countDown, 1, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> fired.getCount() == 0);
    }

    @Test
    void invalidChangeKeepsTheLastGoodSettings() {
        engine = new TimerEngine(config(5, 64, 2), Map.of(), log);
        BundleTimerService app = view("io.example.app");
        app.schedule(() -> { }, 1, TimeUnit.HOURS);
        app.schedule(() -> { }, 1, TimeUnit.HOURS);

        engine.modified(config(5, 64, 0), Map.of());

        assertThat(logLines).anyMatch(line -> line.startsWith("error") && line.contains("maxPending must be")
                && line.contains("tickMillis=5, wheelSize=64, maxPending=2"));
        assertThat(app.pending()).hasSize(2);
    }

    /** The ERROR line said what was wrong but not where: the file to fix, as msf.mempool's does. */
    @Test
    void aRefusedChangeNamesTheFileItCameFrom() {
        engine = new TimerEngine(config(5, 64, 2), Map.of(), log);

        engine.modified(config(5, 48, 2), Map.of(FILE, "file:/opt/msf/etc/msf.timer.cfg"));

        assertThat(logLines).anyMatch(line -> line.startsWith("error")
                && line.contains("msf.timer, file file:/opt/msf/etc/msf.timer.cfg, wheelSize"));
    }

    @Test
    void aRefusedConfigurationAtTheStartNamesTheFileItCameFrom() {
        engine = new TimerEngine(config(0, 64, 2), Map.of(FILE, "file:/opt/msf/etc/msf.timer.cfg"), log);

        assertThat(logLines).anyMatch(line -> line.startsWith("error")
                && line.contains("msf.timer, file file:/opt/msf/etc/msf.timer.cfg, tickMillis")
                && line.contains("the defaults"));
    }

    @Test
    void aRefusedConfigurationSetThroughConfigAdminSaysSo() {
        engine = new TimerEngine(config(5, 64, 2), Map.of(), log);

        engine.modified(config(5, 64, 0), Map.of());

        assertThat(logLines).anyMatch(line -> line.startsWith("error")
                && line.contains("msf.timer, configuration admin, maxPending"));
    }

    @Test
    void validChangeIsAppliedInPlaceKeepingTimers() {
        engine = new TimerEngine(config(10, 512, 1000), Map.of(), log);
        BundleTimerService app = view("io.example.app");
        CountDownLatch fired = new CountDownLatch(1);
        app.schedule(fired::countDown, 200, TimeUnit.MILLISECONDS);
        app.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);

        engine.modified(config(2, 32, 1000), Map.of());

        await().atMost(Duration.ofSeconds(10)).until(() -> fired.getCount() == 0);
        assertThat(logLines).anyMatch(line -> line.startsWith("info") && line.contains("reconfigured")
                && line.contains("tickMillis=2, wheelSize=32"));
        assertThat(app.pending()).hasSize(1);
    }

    @Test
    void aThrowingTaskIsLoggedWithItsOwner() {
        engine = new TimerEngine(config(1, 64, 1000), Map.of(), log);
        Runnable bad = new Runnable() {
            @Override
            public void run() {
                throw new IllegalStateException("boom");
            }

            @Override
            public String toString() {
                return "the bad task";
            }
        };
        view("io.example.app").schedule(bad, 1, TimeUnit.MILLISECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> logLines.stream().anyMatch(line -> line.startsWith("error")
                && line.contains("the bad task") && line.contains("io.example.app") && line.contains("boom")));
    }

    /** The log reads the task's {@code toString()}, as listings do, and it may throw as well as the task. */
    @Test
    void aThrowingTaskWhoseToStringThrowsIsLoggedByItsClass() {
        engine = new TimerEngine(config(10, 512, 1000), Map.of(), log);
        Runnable broken = new BrokenTask();

        engine.taskFailed("io.example.app", broken, false, new IllegalStateException("boom"));

        assertThat(logLines).anyMatch(line -> line.startsWith("error") && line.contains(BrokenTask.class.getName()
                + " (toString() threw java.lang.NullPointerException: no name") && line.contains("io.example.app")
                && line.contains("boom"));
    }

    private static final class BrokenTask implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("boom");
        }

        @Override
        public String toString() {
            throw new NullPointerException("no name");
        }
    }

    /**
     * A task that schedules its next run as it ends (a self-rescheduling timeout) was running when its bundle
     * stopped: the refusal of the closed timer service went out of the task and was logged as a failure, an
     * ERROR with its stack trace at an ordinary stop of the bundle.
     */
    @Test
    void aTaskRefusedAnotherTimerAsItsBundleStopsIsNoError() throws Exception {
        engine = new TimerEngine(config(10, 512, 1000), Map.of(), log);
        BundleTimerService app = view("io.example.app");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch stopping = new CountDownLatch(1);
        Runnable rescheduling = new Runnable() {
            @Override
            public void run() {
                running.countDown();
                awaitQuietly(stopping);
                app.schedule(this, 1, TimeUnit.MILLISECONDS);
            }

            @Override
            public String toString() {
                return "rescheduling";
            }
        };
        app.schedule(rescheduling, 1, TimeUnit.MILLISECONDS);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        // SCR, as the bundle stops: waits for the running task, for 100 ms of it at most
        Thread stop = new Thread(app::deactivate);
        stop.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try {
                app.schedule(() -> { }, 1, TimeUnit.HOURS);
                return false;
            } catch (IllegalStateException closed) {
                return true;
            }
        });
        stopping.countDown();
        stop.join(10_000);

        // The stop may have left the task running: its outcome is told once it returns.
        await().atMost(Duration.ofSeconds(10)).until(() -> logLines.stream().anyMatch(line -> line.startsWith("info")
                && line.contains("rescheduling") && line.contains("io.example.app")));
        assertThat(logLines).noneMatch(line -> line.startsWith("error"));
    }

    /**
     * A bundle whose task held the timer thread was not named anywhere: timers ran late and every bundle
     * stopping meanwhile waited five seconds, without a word why.
     */
    @Test
    void aTaskHoldingTheTimerThreadIsWarnedOfAndABundleStoppingMeanwhileIsToldWhyItsTimersEndLater()
            throws InterruptedException {
        engine = new TimerEngine(config(10, 512, 1000), Map.of(), log);
        BundleTimerService slow = view("io.example.slow");
        BundleTimerService stopping = view("io.example.stopping");
        stopping.schedule(() -> { }, 1, TimeUnit.HOURS);
        CountDownLatch holding = new CountDownLatch(1);
        slow.schedule(new Runnable() {
            @Override
            public void run() {
                holding.countDown();
                holdFor(Duration.ofMillis(1100)); // a task that blocks the thread a second and more
            }

            @Override
            public String toString() {
                return "the slow task";
            }
        }, 1, TimeUnit.MILLISECONDS);
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

        stopping.deactivate(); // waits 100 ms of the task, then no longer

        assertThat(logLines).anyMatch(line -> line.startsWith("info") && line.contains("io.example.stopping")
                && line.contains("of io.example.slow has held the timer thread msf-timer for"));
        await().atMost(Duration.ofSeconds(10)).until(() -> logLines.stream().anyMatch(line -> line.startsWith("warn")
                && line.contains("the slow task, io.example.slow, msf-timer") && line.contains("ran late")));
        await().atMost(Duration.ofSeconds(10)).until(() -> logLines.stream().anyMatch(line -> line.startsWith("info")
                && line.contains("1, io.example.stopping")));
    }

    /** A task that leaves its thread interrupted is named, once, and the thread goes on as if it had not. */
    @Test
    void aTaskLeavingTheTimerThreadInterruptedIsWarnedOfOnce() {
        engine = new TimerEngine(config(1, 64, 1000), Map.of(), log);
        BundleTimerService app = view("io.example.app");
        CountDownLatch runs = new CountDownLatch(3);
        app.scheduleAtFixedRate(new Runnable() {
            @Override
            public void run() {
                runs.countDown();
                Thread.currentThread().interrupt();
            }

            @Override
            public String toString() {
                return "the interrupting task";
            }
        }, 0, 1, TimeUnit.MILLISECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> runs.getCount() == 0);
        assertThat(logLines).filteredOn(line -> line.startsWith("warn")).singleElement().satisfies(line ->
                assertThat(line).contains("the interrupting task, io.example.app, msf-timer").contains("cleared"));
    }

    private static void holdFor(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private BundleTimerService view(String symbolicName) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        ComponentContext context = mock(ComponentContext.class);
        when(context.getUsingBundle()).thenReturn(bundle);
        return new BundleTimerService(context, engine);
    }

    @Test
    void aChangeWithAValueThatCannotBeReadIsRefusedNamingTheKeyAndTheLastGoodSettingsStay() {
        engine = new TimerEngine(config(5, 64, 2), Map.of(), log);
        TimerEngineConfiguration unreadable = config(5, 64, 2);
        // What SCR's configuration proxy does with a value it cannot convert: it throws when the member is read.
        when(unreadable.wheelSize())
                .thenThrow(new ComponentException(new NumberFormatException("For input string: \"big\"")));

        engine.modified(unreadable, Map.of());

        assertThat(logLines).anyMatch(line -> line.startsWith("error") && line.contains("msf.timer")
                && line.contains("wheelSize: the value cannot be read") && line.contains("big")
                && line.contains("tickMillis=5, wheelSize=64, maxPending=2"));
    }

    private static TimerEngineConfiguration config(long tickMillis, int wheelSize, long maxPending) {
        TimerEngineConfiguration config = mock(TimerEngineConfiguration.class);
        when(config.tickMillis()).thenReturn(tickMillis);
        when(config.wheelSize()).thenReturn(wheelSize);
        when(config.maxPending()).thenReturn(maxPending);
        return config;
    }
}
