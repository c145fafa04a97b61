package io.msf.timer.internal;

import io.msf.settings.ConfigSource;
import io.msf.timer.api.TimerClosedException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The one timer wheel of the container and its thread {@value TimerWorker#THREAD_NAME}, configured
 * by PID {@value #PID}. Bundles do not use it directly: each gets its own {@link BundleTimerService}.
 *
 * <p>A configuration change is applied in place ({@link Modified}), never by restarting the
 * component, since a restart would stop every bundle's timer service and cancel their timers.
 * A new tick or wheel size is carried over into a rebuilt wheel rather than leaving the old wheel
 * to drain: periodic timers never drain, so an old wheel would live (and hold a thread) forever.
 */
@Component(service = TimerEngine.class, immediate = true, configurationPid = TimerEngine.PID)
@Designate(ocd = TimerEngineConfiguration.class)
public final class TimerEngine implements TimerEvents {

    static final String PID = "msf.timer";
    private static final long STOP_TIMEOUT_MILLIS = 5000;

    private final Logger log;
    private final Timers timers;
    private volatile WheelSettings settings;

    @Activate
    public TimerEngine(TimerEngineConfiguration config, Map<String, Object> properties,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.settings = checked(config, properties, WheelSettings.DEFAULTS, "the defaults");
        this.timers = new Timers(settings, System::nanoTime, this);
        log.info("Timer wheel started: {}", settings);
    }

    @Modified
    void modified(TimerEngineConfiguration config, Map<String, Object> properties) {
        WheelSettings next = checked(config, properties, settings, "the current settings");
        if (!next.equals(settings)) {
            settings = next;
            timers.reconfigure(next);
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (!timers.stop(STOP_TIMEOUT_MILLIS)) {
            log.warn("Timer thread {} still runs a task {} ms after the timer service stopped; it ends"
                    + " after that task", TimerWorker.THREAD_NAME, STOP_TIMEOUT_MILLIS);
        }
    }

    Timers timers() {
        return timers;
    }

    /** The settings of {@code config}, or {@code fallback} with an ERROR line naming the file, the key and why. */
    private WheelSettings checked(TimerEngineConfiguration config, Map<String, Object> properties,
            WheelSettings fallback, String what) {
        try {
            return WheelSettings.of(config);
        } catch (IllegalArgumentException e) {
            log.error("{} ({}) rejected: {}; keeping {} ({})", PID, ConfigSource.of(properties), e.getMessage(), what,
                    fallback);
            return fallback;
        }
    }

    @Override
    public void taskFailed(String owner, Runnable task, boolean periodicCancelled, Throwable error) {
        if (error instanceof TimerClosedException closed && owner.equals(closed.owner())) {
            // A task that schedules its next run as it ends, running as its bundle stops: no failure of the
            // task, and nothing lost, as the bundle's timers end with it anyway.
            log.info("Timer task {} of bundle {} scheduled another timer as the bundle stopped: refused, its"
                    + " timers end with it", TimerWheel.describe(task), owner);
            return;
        }
        log.error("Timer task {} of bundle {} threw{}", TimerWheel.describe(task), owner,
                periodicCancelled ? "; its periodic timer is cancelled" : "", error);
    }

    @Override
    public void workerFailed(Throwable error) {
        log.error("Timer thread {} failed; it goes on with the next tick", TimerWorker.THREAD_NAME, error);
    }

    @Override
    public void taskLeftInterrupt(String owner, Runnable task) {
        log.warn("Timer task {} of bundle {} left the timer thread {} interrupted (it interrupted its own thread,"
                + " or was cancelled with cancel(true) as it ran); the interrupt is cleared, so that the tasks after"
                + " it do not see it. A timer task must not interrupt its thread; told once per start of the bundle",
                TimerWheel.describe(task), owner, TimerWorker.THREAD_NAME);
    }

    @Override
    public void taskHeldWorker(String owner, Runnable task, long heldNanos) {
        log.warn("Timer task {} of bundle {} held the timer thread {} for {} ms: every timer due meanwhile ran late."
                + " A timer task must not block or compute for long, but hand such work to an executor; told once"
                + " per start of the bundle", TimerWheel.describe(task), owner, TimerWorker.THREAD_NAME,
                TimeUnit.NANOSECONDS.toMillis(heldNanos));
    }

    @Override
    public void ownerClosed(String owner, long cancelledTimers) {
        if (cancelledTimers > 0) {
            log.info("Cancelled {} pending timers of bundle {} as it stopped", cancelledTimers, owner);
        }
    }

    @Override
    public void ownerSweepLeft(String owner, TaskHold hold) {
        log.info("Timer service of bundle {} closed without waiting for the timer thread: {}; none of the bundle's"
                + " timers runs, and they are cancelled once that task returns", owner, hold);
    }

    @Override
    public void ownerSweepLate(String owner, RuntimeException cause) {
        log.warn("Pending timers of stopped bundle {} are cancelled later: {}", owner, cause.getMessage());
    }

    @Override
    public void reconfigured(WheelSettings next, long pendingTimers) {
        log.info("Timer wheel reconfigured from {}: {}; {} pending timers carried over", PID, next, pendingTimers);
    }
}
