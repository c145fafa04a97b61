package io.msf.supervisor.internal;

import io.msf.supervisor.api.ProcessInfo;
import io.msf.supervisor.api.Supervisor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The {@link Supervisor}: holds the processes configured by {@code msf.process~<name>} (added by
 * {@link ConfiguredProcess}), runs their backoff restarts and stop timeouts on one scheduler
 * thread, and raises the crash-loop alert. When the container stops, this component stops last
 * among the supervisor's and waits for every process to end, so a graceful stop of the container
 * is a graceful stop of its children (and, through them, of their children).
 *
 * <p>EventAdmin is looked up when an alert is raised rather than injected: a static reference
 * would restart this component, and with it every child, whenever EventAdmin is replaced.
 */
@Component(service = {Supervisor.class, ProcessSupervisor.class}, immediate = true)
public final class ProcessSupervisor implements Supervisor {

    /** Beyond the longest stop timeout, how long deactivation waits before it kills what is left. */
    private static final long STOP_MARGIN_MILLIS = 2000;

    private final ProcessEnvironment env;
    private final ScheduledExecutorService scheduler;
    private final ServiceTracker<EventAdmin, EventAdmin> eventAdmin;
    private final Logger log;
    private final Map<String, ManagedProcess> processes = new ConcurrentHashMap<>();
    /** Removed processes still stopping, with their stop timeouts: deactivation waits for them too. */
    private final Map<CompletableFuture<Void>, Long> removals = new HashMap<>();
    private final Path home;
    private final Path data;

    @Activate
    public ProcessSupervisor(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.home = Folders.home(context);
        this.data = Folders.data(context);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "msf-supervisor");
            thread.setDaemon(true);
            return thread;
        });
        this.eventAdmin = new ServiceTracker<>(context, EventAdmin.class, null);
        this.eventAdmin.open();
        this.env = new ProcessEnvironment(new ChildSpawner(home, data, log), scheduler,
                ProcessEnvironment::monotonicMillis, this::raiseCrashLoop, log);
    }

    @Deactivate
    void deactivate() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        long longest = 0;
        for (ManagedProcess process : processes.values()) {
            longest = Math.max(longest, process.spec().stopTimeoutMillis());
            stops.add(process.remove());
        }
        processes.clear();
        synchronized (removals) {
            // as the container stops, every configuration is removed before this runs: their stop
            // timeouts are the ones to wait out, or the kills they schedule are cancelled below
            for (Map.Entry<CompletableFuture<Void>, Long> removal : removals.entrySet()) {
                longest = Math.max(longest, removal.getValue());
                stops.add(removal.getKey());
            }
        }
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                    .get(longest + STOP_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("supervisor: not every child process ended in time: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        eventAdmin.close();
    }

    // ---- called by ConfiguredProcess ----

    /** The folders relative settings are resolved against: msf.home, msf.data. */
    Path home() {
        return home;
    }

    Path data() {
        return data;
    }

    /**
     * Takes over a configured process and starts it if it is enabled.
     *
     * @throws IllegalArgumentException another configuration already uses the name
     */
    void add(ProcessSpec spec) {
        ManagedProcess process = new ManagedProcess(spec, env);
        if (processes.putIfAbsent(spec.name(), process) != null) {
            throw new IllegalArgumentException("key 'name': another msf.process configuration already runs a"
                    + " process named '" + spec.name() + "'");
        }
        if (spec.enabled()) {
            process.start();
        } else {
            log.info("process '{}' is configured but not enabled; proc:start {} starts it", spec.name(), spec.name());
        }
    }

    void reconfigure(ProcessSpec spec) {
        required(spec.name()).reconfigure(spec);
    }

    /** Stops the process in the background; the supervisor's own stop waits for it. */
    void remove(String name) {
        ManagedProcess process = processes.remove(name);
        if (process != null) {
            CompletableFuture<Void> removal = process.remove();
            synchronized (removals) {
                removals.keySet().removeIf(CompletableFuture::isDone);
                removals.put(removal, process.spec().stopTimeoutMillis());
            }
        }
    }

    // ---- Supervisor ----

    @Override
    public List<ProcessInfo> processes() {
        return processes.values().stream()
                .map(ManagedProcess::info)
                .sorted(Comparator.comparing(ProcessInfo::name))
                .toList();
    }

    @Override
    public ProcessInfo process(String name) {
        return required(name).info();
    }

    @Override
    public ProcessInfo start(String name) {
        ManagedProcess process = required(name);
        process.start();
        return process.info();
    }

    @Override
    public ProcessInfo stop(String name) {
        ManagedProcess process = required(name);
        awaitEnd(process, process.stop());
        return process.info();
    }

    @Override
    public ProcessInfo restart(String name) {
        ManagedProcess process = required(name);
        awaitEnd(process, process.stop());
        process.start();
        return process.info();
    }

    @Override
    public List<String> log(String name, int lines) {
        try {
            return required(name).log(lines);
        } catch (IOException e) {
            throw new UncheckedIOException("process '" + name + "': cannot read its log: " + e.getMessage(), e);
        }
    }

    private ManagedProcess required(String name) {
        ManagedProcess process = processes.get(name);
        if (process == null) {
            throw new NoSuchElementException("no process named '" + name + "' (configured by msf.process~" + name
                    + "); proc:list lists them");
        }
        return process;
    }

    /** Waits for the end of a stop: the kill follows the stop timeout, so that plus a margin is enough. */
    private void awaitEnd(ManagedProcess process, CompletableFuture<Void> end) {
        try {
            end.get(process.spec().stopTimeoutMillis() + STOP_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("process '" + process.spec().name() + "' has not ended yet", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("process '" + process.spec().name() + "': " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while process '" + process.spec().name() + "' stops", e);
        }
    }

    private void raiseCrashLoop(String process, int restarts, long windowMillis, int exitCode, String message) {
        EventAdmin events = eventAdmin.getService();
        if (events == null) {
            log.warn("supervisor: no EventAdmin, so no {} event for process '{}'", CRASH_LOOP_TOPIC, process);
            return;
        }
        events.postEvent(new Event(CRASH_LOOP_TOPIC, Map.of(EVENT_PROCESS, process, EVENT_RESTARTS, restarts,
                EVENT_WINDOW_MILLIS, windowMillis, EVENT_EXIT_CODE, exitCode, EVENT_MESSAGE, message)));
    }
}
