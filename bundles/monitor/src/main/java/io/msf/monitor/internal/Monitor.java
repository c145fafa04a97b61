package io.msf.monitor.internal;

import io.msf.event.api.ThreadAccounting;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.monitor.internal.alert.Alert;
import io.msf.monitor.internal.alert.AlertBook;
import io.msf.monitor.internal.alert.AlertChange;
import io.msf.monitor.internal.probe.AgentProbe;
import io.msf.net.api.NetworkService;
import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerService;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Samples the process, msf's threads and every service at the configured rate (on the timer
 * service's wheel; the sampling itself runs on the monitor's own thread, off the wheel) and raises
 * and clears alerts: an EventAdmin event on {@code msf/alert/<kind>}, a log line, and the open
 * alert that {@code msf:health} and /health show.
 */
@Component(service = Monitor.class, immediate = true, configurationPid = Monitor.PID)
@Designate(ocd = MonitorConfiguration.class)
public final class Monitor {

    static final String PID = "msf.monitor";
    static final String THREAD_NAME = "msf-monitor";

    private final Logger log;
    private final AlertBook alerts = new AlertBook();
    private final AlertAnnouncer announcer;
    private final ThresholdOverrides thresholdOverrides;
    private final Sampler sampler;
    private final TimerService timers;
    // One sample at a time and at most one waiting: while a slow sample runs, further ticks are dropped.
    private final ThreadPoolExecutor sampling = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1), task -> daemon(task), new ThreadPoolExecutor.DiscardPolicy());

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AgentProbe agent;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<ServiceThresholds> overrides = List.of();

    private volatile Settings settings;
    private volatile Snapshot latest;
    private Timeout tick;
    // Guards the alert book and closed: a sample still running when deactivation gives up waiting for it
    // must not raise an alert after the open ones were cleared, one that nothing would clear.
    private final Object alertLock = new Object();
    private boolean closed;
    /** Samples failed in a row: the first is logged, and the one that follows them; not each. */
    private int failedSamples;

    @Activate
    public Monitor(MonitorConfiguration config, BundleContext context, @Reference TimerService timers,
            @Reference MemoryPoolAdmin pool, @Reference NetworkService network, @Reference ThreadAccounting accounting,
            @Reference EventAdmin events, @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.timers = timers;
        this.announcer = new AlertAnnouncer(events, log);
        this.thresholdOverrides = new ThresholdOverrides(message -> log.warn(message), message -> log.info(message));
        this.settings = checked(config, Settings.of(ConfigDefaults.of(MonitorConfiguration.class, Map.of())),
                "the defaults apply");
        this.sampler = new Sampler(pool, timers, network, accounting, () -> agent, () -> running(context),
                Clock.systemUTC(), log);
        schedule();
        log.info("Monitor samples every {} ms; alerts on msf/alert/<kind>", settings.sampleMillis());
    }

    @Modified
    void modified(MonitorConfiguration config) {
        Settings next = checked(config, settings, "keeping the settings in force");
        long previousPeriod = settings.sampleMillis();
        settings = next;
        if (next.sampleMillis() != previousPeriod) {
            tick.cancel();
            schedule();
        }
    }

    /**
     * Clears the open alerts, each with its event: a new monitor (after a restart of this one, which a
     * change of msf.event or an update of the bundle brings) starts with none, so one still raised here
     * would never be cleared for those who follow the events, and raised once more if still over.
     */
    @Deactivate
    void deactivate() throws InterruptedException {
        tick.cancel();
        sampling.shutdownNow();
        sampling.awaitTermination(5, TimeUnit.SECONDS);
        synchronized (alertLock) {
            closed = true;
            for (Alert alert : alerts.closeAll()) {
                announcer.announceStopped(alert);
            }
        }
    }

    /** The last sample, or null before the first. */
    public Snapshot latest() {
        return latest;
    }

    /** The open alerts, oldest first. */
    public List<Alert> openAlerts() {
        return alerts.open();
    }

    Settings settings() {
        return settings;
    }

    private void schedule() {
        long period = settings.sampleMillis();
        tick = timers.scheduleAtFixedRate(() -> sampling.execute(this::sampleOnce), period, period,
                TimeUnit.MILLISECONDS);
    }

    private void sampleOnce() {
        try {
            Settings current = settings;
            Snapshot sample = sampler.sample(current.threadPrefix(), current.alertWindowMillis());
            latest = sample;
            Map<String, ServiceLimits> byService = thresholdOverrides.byService(overrides);
            synchronized (alertLock) {
                if (closed) {
                    return;
                }
                List<AlertChange> changes = alerts.update(AlertRules.readings(sample, current, byService),
                        AlertRules.subjects(sample), sample.time(), AlertRules.unknownRounds(current));
                for (AlertChange change : changes) {
                    announcer.announce(change, AlertRules.thresholdSource(change.alert(), byService));
                }
            }
            if (failedSamples > 0) {
                log.info("Monitor samples again, after {} failed sample(s)", failedSamples);
                failedSamples = 0;
            }
        } catch (RuntimeException e) {
            if (failedSamples++ == 0) {
                log.error("Monitor sample failed; the next ones are taken as scheduled, and said when one succeeds",
                        e);
            }
        }
    }

    /** @param instead what the fallback is, for the log line: at the start the defaults, not "previous" settings */
    private Settings checked(MonitorConfiguration config, Settings fallback, String instead) {
        try {
            return Settings.of(config);
        } catch (IllegalArgumentException e) {
            log.error("Configuration {} rejected: {}; {}", PID, e.getMessage(), instead);
            return fallback;
        }
    }

    /** The bundles whose services stay sampled while they own nothing: those not stopped or uninstalled. */
    private static Set<String> running(BundleContext context) {
        Set<String> names = new HashSet<>();
        for (Bundle bundle : context.getBundles()) {
            if ((bundle.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) != 0
                    && bundle.getSymbolicName() != null) {
                names.add(bundle.getSymbolicName());
            }
        }
        return names;
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, THREAD_NAME);
        thread.setDaemon(true);
        return thread;
    }
}
