package io.msf.supervisor.internal;

import io.msf.files.DataFolder;
import io.msf.supervisor.api.ProcessInfo;
import io.msf.supervisor.api.Supervisor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.osgi.framework.Bundle;
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
 * {@link ConfiguredProcess}), times their backoff restarts and stop timeouts on one scheduler
 * thread (what they start spawned on threads of their own, as are warm spares and the take-over of a
 * freed name), and raises the crash-loop alert. When the container stops, this component stops last
 * among the supervisor's and waits for every process to end, so a graceful stop of the container
 * is a graceful stop of its children (and, through them, of their children).
 *
 * <p>EventAdmin is looked up when an alert is raised rather than injected: a static reference
 * would restart this component, and with it every child, whenever EventAdmin is replaced.
 *
 * <p>Children keep their logs, folders and class-data archives in the data folder: if it is refused
 * ({@link DataFolder}: msf.data unset and its default unsafe), this component does not start, and
 * no process runs, rather than hand others what the children write there.
 */
@Component(service = {Supervisor.class, ProcessSupervisor.class}, immediate = true)
public final class ProcessSupervisor implements Supervisor {

    /**
     * How long proc:start, proc:stop and proc:restart wait for a process a spawn holds (a hung mount under
     * its command or JDK) before they are refused, saying so: the console waited with no end.
     */
    static final long BY_HAND_WAIT_MILLIS = 5000;
    /** Beyond the longest stop timeout, how long deactivation waits before it kills what is left. */
    private static final long STOP_MARGIN_MILLIS = 2000;
    /**
     * How long after its start the supervisor ends the runs a parent that died left of processes no
     * configuration names: by then the configurations in etc/ have long been delivered (FileInstall
     * polls every second), and each configured process has ended its own leftover with its own
     * stop timeout.
     */
    static final long UNCONFIGURED_LEFTOVERS_AFTER_MILLIS = 60_000;
    /** The stop timeout of a leftover no configuration names: stopTimeoutMillis' default. */
    static final long UNCONFIGURED_STOP_MILLIS = 10_000;

    private final ProcessEnvironment env;
    private final ScheduledExecutorService scheduler;
    /** Spawns runs and warm spares, and hands freed names over, off the scheduler ({@link ProcessEnvironment#spawning}). */
    private final ExecutorService spawning;
    private final ServiceTracker<EventAdmin, EventAdmin> eventAdmin;
    private final Logger log;
    private final Map<String, ManagedProcess> processes = new ConcurrentHashMap<>();
    /** Removed processes still stopping, with their stop timeouts: deactivation waits for them too. */
    private final Map<CompletableFuture<Void>, Long> removals = new HashMap<>();
    /**
     * Processes removed while the supervisor runs whose output may still be copied (guarded by
     * {@link #removals}): what one left running outside its group is copied for a grace after its removal,
     * ended by a task of the scheduler, which the supervisor's stop drops. Its stop ends them instead.
     */
    private final List<ManagedProcess> removedCopying = new ArrayList<>();
    /** The PID of the configuration each process came from, by name; guarded by {@link #waiting}. */
    private final Map<String, String> owners = new HashMap<>();
    /**
     * Configurations refused because another one runs a process of the name they give: once that
     * process is removed (and has ended), the first of them in line ({@link Waiter#place}) takes the name over.
     */
    private final Map<Object, Waiter> waiting = new LinkedHashMap<>();
    /** The place in line the next configuration to wait for a name gets; guarded by {@link #waiting}. */
    private long nextPlace;
    /**
     * The places in line of the configurations being handed a name ({@link #handOver}); guarded by {@link
     * #waiting}. One that finds the name taken again (another hand-over, or a configuration added meanwhile)
     * waits again in the place it had, not behind every configuration that came after it.
     */
    private final Map<Object, Long> handedOver = new HashMap<>();
    /**
     * By name, the end of a process removed that has not ended yet; guarded by {@link #waiting}. A process added
     * under that name meanwhile (a file deleted and made again) waits for it: a removal returns at once, and
     * the spawn of the removed one, which may hang on a mount, starts a run once free, which its removal then
     * stops; the two would hold one port and one folder, and the old run's pid record would replace the new's.
     */
    private final Map<String, CompletableFuture<Void>> ending = new HashMap<>();
    private final RefusedConfigurations refused = new RefusedConfigurations();
    private final BundleContext context;
    private final Path home;
    private final Path data;
    /**
     * The end of what {@link #endUnconfiguredLeftovers} ended: deactivation waits for it too. Set under
     * {@link #waiting} before the first signal, as {@link #stopping} is: a stop either comes first, and the sweep
     * signals nothing, or finds the sweep's end to wait for, its SIGKILLs not yet dropped with the scheduler.
     */
    private volatile CompletableFuture<Void> unconfiguredLeftoversEnded = CompletableFuture.completedFuture(null);
    /** Guarded by {@link #waiting}. */
    private boolean stopping;

    /** Daemon threads of one name: none of them keeps the JVM up past the framework's stop. */
    private static ThreadFactory daemonThreads(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * @throws IOException if the data folder is refused or cannot be made; logged first, the message
     *     naming it and what to do, and the component stays inactive
     */
    @Activate
    public ProcessSupervisor(BundleContext context, @Reference(service = LoggerFactory.class) Logger log)
            throws IOException {
        this.log = log;
        this.context = context;
        this.home = Folders.home(context);
        this.data = dataFolder(context, log);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("msf-supervisor"));
        // threads only while spawns last: as many at once as processes spawning at once, at most
        this.spawning = Executors.newCachedThreadPool(daemonThreads("msf-supervisor-spawn"));
        this.eventAdmin = new ServiceTracker<>(context, EventAdmin.class, null);
        this.eventAdmin.open();
        this.env = new ProcessEnvironment(new ChildSpawner(home, data, log), scheduler, spawning,
                ProcessEnvironment::monotonicMillis, new CrashLoopAlert() {
                    @Override
                    public void raise(String process, int restarts, long windowMillis, RestartTracker.Limit limit,
                            int exitCode, String message) {
                        // windowMillis on every raised event, as in 1.2: handlers built against it unbox it
                        post(process, Map.of(EVENT_STATE, "raised", EVENT_RESTARTS, restarts, EVENT_WINDOW_MILLIS,
                                windowMillis, EVENT_LIMIT, limit == RestartTracker.Limit.RESTARTS_IN_WINDOW
                                        ? LIMIT_RESTARTS_IN_WINDOW : LIMIT_FAILED_STARTS_IN_A_ROW,
                                EVENT_EXIT_CODE, exitCode, EVENT_MESSAGE, message));
                    }

                    @Override
                    public void clear(String process, String message) {
                        post(process, Map.of(EVENT_STATE, "cleared", EVENT_MESSAGE, message));
                    }
                }, log);
        scheduler.schedule(this::endUnconfiguredLeftovers, UNCONFIGURED_LEFTOVERS_AFTER_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static Path dataFolder(BundleContext context, Logger log) throws IOException {
        try {
            return DataFolder.of(context::getProperty).prepare();
        } catch (IOException e) {
            log.error("supervisor: not started, no process runs: {}", e.getMessage());
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        List<ManagedProcess> removed;
        synchronized (waiting) {
            // before the processes are taken: one added after would be started, and never stopped (reserve)
            stopping = true;
            waiting.clear();
            owners.clear();
            removed = new ArrayList<>(processes.values());
            processes.clear();
        }
        long longest = 0;
        for (ManagedProcess process : removed) {
            longest = Math.max(longest, process.stopWaitMillis()); // an old configuration's spare may end later
            stops.add(process.remove());
        }
        synchronized (removals) {
            // as the container stops, every configuration is removed before this runs: their stop
            // timeouts are the ones to wait out, or the kills they schedule are cancelled below
            for (Map.Entry<CompletableFuture<Void>, Long> removal : removals.entrySet()) {
                longest = Math.max(longest, removal.getValue());
                stops.add(removal.getKey());
            }
            removed.addAll(removedCopying); // so their copiers end below, the task that would have gone
            removedCopying.clear();
        }
        if (!unconfiguredLeftoversEnded.isDone()) {
            stops.add(unconfiguredLeftoversEnded); // its SIGKILLs are among the tasks the scheduler drops
            longest = Math.max(longest, UNCONFIGURED_STOP_MILLIS);
        }
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                    .get(withMargin(longest), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("supervisor: not every child process ended in time: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        // every process is removed: what a spawn still starts, its removal ends, and a spare still booting is ended
        // once booted (SpareSlot.settle). What is handed over from now on is refused, and dropped where it is handed
        // (a restart, a start under a new configuration, a take-over of a name: none is wanted past the stop)
        spawning.shutdown();
        // after the scheduler, which would end them after their grace: what a process left running outside its
        // group is not copied past the supervisor's stop, its copier holding the log and this bundle's classes
        long graceEnds = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ManagedProcess.COPIER_GRACE_MILLIS);
        try {
            for (ManagedProcess process : removed) {
                process.endCopiers(Math.max(0, TimeUnit.NANOSECONDS.toMillis(graceEnds - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            removed.forEach(ManagedProcess::endCopiersNow);
            Thread.currentThread().interrupt();
        }
        eventAdmin.close();
    }

    /**
     * Ends the runs a parent that died left of processes no configuration names (deleted while the
     * container was down, or refused): nothing starts them again, which is when a leftover is ended,
     * so they ran on unsupervised. SIGTERM, SIGKILL after {@value #UNCONFIGURED_STOP_MILLIS} ms.
     */
    void endUnconfiguredLeftovers() {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        synchronized (waiting) {
            if (stopping) {
                return; // the stop came first: nothing is signalled that its scheduler's end would leave half done
            }
            unconfiguredLeftoversEnded = ended;
        }
        List<CompletableFuture<Void>> endings = new ArrayList<>();
        try {
            for (String name : env.spawner().namesRecorded()) {
                synchronized (waiting) {
                    if (processes.containsKey(name) || stopping) {
                        continue; // its own start ends it, or has; or the container stops, which ends its own
                    }
                }
                endings.add(env.spawner().endUnconfiguredLeftover(name, UNCONFIGURED_STOP_MILLIS, scheduler));
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("supervisor: cannot look for runs left behind in {}: {}", data.resolve("children"), e.toString());
        } finally {
            CompletableFuture.allOf(endings.toArray(CompletableFuture[]::new))
                    .whenComplete((done, failed) -> ended.complete(null));
        }
    }

    // ---- called by ConfiguredProcess ----

    /** The folders relative settings are resolved against: msf.home, msf.data. */
    Path home() {
        return home;
    }

    Path data() {
        return data;
    }

    /** The configurations refused before they gave a process: the commands naming one say why. */
    RefusedConfigurations refused() {
        return refused;
    }

    /**
     * Takes over a configured process and starts it if it is enabled, on a spawning thread; if not, the run
     * a parent that died left of it (its pid record) is ended all the same, on a spawning thread too.
     *
     * @throws IllegalArgumentException another configuration already uses the name
     */
    void add(ProcessSpec spec) {
        add(spec, null, null, null);
    }

    /**
     * Takes over the process of configuration {@code owner} (a PID) and starts it if it is
     * enabled. If another configuration runs a process of that name, {@code claimant} waits for
     * it: once that process is removed and has ended, {@code takeOver} is called (on a
     * spawning thread) unless {@link #stopWaiting} came first; it answers whether the claimant
     * still wanted the name, else the next one waiting is asked.
     *
     * @throws NameTaken another configuration already uses the name
     * @throws IllegalStateException the supervisor stops: nothing is started
     */
    void add(ProcessSpec spec, String owner, Object claimant, BooleanSupplier takeOver) {
        CompletableFuture<Void> nameFreed = new CompletableFuture<>();
        ManagedProcess process = new ManagedProcess(spec, env, null, nameFreed);
        reserve(process, owner, claimant, takeOver, nameFreed);
        startIfEnabled(process);
    }

    /**
     * The process of a configuration whose name changed from {@code previous}: as {@link #add}, and
     * then the process of the old name is removed, the new one's first run waiting for its end (both
     * would hold one port, or, as child containers, export the same agent names). Nothing waits here:
     * this runs on Config Admin's thread, and the old process may take its whole stop timeout.
     *
     * @throws NameTaken another configuration already uses the new name: the old process runs on
     */
    void rename(String previous, ProcessSpec spec, String owner, Object claimant, BooleanSupplier takeOver) {
        CompletableFuture<Void> previousEnded = new CompletableFuture<>();
        CompletableFuture<Void> nameFreed = new CompletableFuture<>();
        ManagedProcess process = new ManagedProcess(spec, env, previous, CompletableFuture.allOf(previousEnded,
                nameFreed));
        reserve(process, owner, claimant, takeOver, nameFreed);
        remove(previous).whenComplete((ignored, failure) -> previousEnded.complete(null));
        startIfEnabled(process);
    }

    /**
     * @param nameFreed completed once a process removed under the same name has ended (at once if none is
     *     ending): the one reserved must not run beside it
     * @throws IllegalStateException once the supervisor stops: its stop has taken the processes to end, and
     *     would not end this one
     */
    private void reserve(ManagedProcess process, String owner, Object claimant, BooleanSupplier takeOver,
            CompletableFuture<Void> nameFreed) {
        ProcessSpec spec = process.spec();
        synchronized (waiting) {
            if (stopping) {
                throw new IllegalStateException("process '" + spec.name() + "' is not started: the supervisor stops"
                        + " (the container or the supervisor bundle stops), and ends every process it has");
            }
            if (processes.putIfAbsent(spec.name(), process) != null) {
                if (claimant != null) {
                    Long place = handedOver.get(claimant);
                    waiting.put(claimant, new Waiter(spec.name(), takeOver, place != null ? place : nextPlace++));
                }
                String holder = owners.get(spec.name());
                throw new NameTaken(holder == null ? "another msf.process configuration" : holder, spec.name());
            }
            if (owner != null) {
                owners.put(spec.name(), owner);
            }
            ending.getOrDefault(spec.name(), CompletableFuture.completedFuture(null))
                    .whenComplete((ignored, failure) -> nameFreed.complete(null));
        }
    }

    private void startIfEnabled(ManagedProcess process) {
        ProcessSpec spec = process.spec();
        if (!spec.enabled()) {
            log.info("process '{}' is configured but not enabled; proc:start {} starts it", spec.name(), spec.name());
        }
        // on a spawning thread, as a restart: the caller is Config Admin's thread, and a spawn may hang, as may the
        // read of the pid record whose leftover a disabled process ends (no start would ever end it)
        try {
            spawning.execute(spec.enabled() ? process::startFirst : process::endLeftover);
        } catch (RejectedExecutionException supervisorStopped) {
            // the supervisor stopped since reserve(): it removed every process, and nothing starts past it
        }
    }

    /** {@code claimant} no longer waits for a name (its configuration changed or was deleted). */
    void stopWaiting(Object claimant) {
        synchronized (waiting) {
            waiting.remove(claimant);
        }
    }

    void reconfigure(ProcessSpec spec) {
        required(spec.name()).reconfigure(spec);
    }

    /**
     * Stops the process in the background; the supervisor's own stop waits for it. Once it has
     * ended, a configuration waiting for its name takes it over.
     *
     * @return completes once it has ended (at once if there is none of that name)
     */
    CompletableFuture<Void> remove(String name) {
        ManagedProcess process;
        CompletableFuture<Void> ended = new CompletableFuture<>();
        synchronized (waiting) {
            process = processes.remove(name);
            owners.remove(name);
            if (process != null) {
                ending.put(name, ended); // before the name is free to take: see ending
            }
        }
        if (process == null) {
            return CompletableFuture.completedFuture(null);
        }
        long stopWaitMillis = process.stopWaitMillis();
        CompletableFuture<Void> removal = process.remove();
        removal.whenComplete((ignored, failure) -> {
            synchronized (waiting) {
                ending.remove(name, ended);
            }
            ended.complete(null);
        });
        synchronized (removals) {
            removals.keySet().removeIf(CompletableFuture::isDone);
            removals.put(removal, stopWaitMillis);
            removedCopying.removeIf(ManagedProcess::copiersEnded);
            removedCopying.add(process);
        }
        // on a spawning thread: not under the lock of the configuration that is going away, and the take-over
        // starts a process, which may be slow (a child container's folders copied, its JDK's release file read)
        // and must not hold up the scheduler's restarts and kills of the others. Two hand-overs of one name at
        // once give it to one configuration: the name is reserved under the waiting lock, and the other's is
        // refused and waits again. Once the supervisor has stopped, its spawning threads refuse it: dropped with
        // the future it would complete, as no configuration takes a name over past the stop
        // (after the name's ending is complete, so that the one taken over has no end to wait for)
        ended.whenCompleteAsync((ignored, failure) -> handOver(name), spawning);
        return removal;
    }

    /** A name is free: the first configuration still waiting for it takes it over. */
    private void handOver(String name) {
        Bundle bundle = context.getBundle();
        if (bundle != null && bundle.getState() == Bundle.STOPPING) {
            return; // the container stops: its configurations go away one by one, none takes over
        }
        while (true) {
            Object claimant = null;
            Waiter first = null;
            synchronized (waiting) {
                if (processes.containsKey(name)) {
                    return; // taken meanwhile
                }
                for (Map.Entry<Object, Waiter> entry : waiting.entrySet()) {
                    Waiter waiter = entry.getValue();
                    if (waiter.name().equals(name) && (first == null || waiter.place() < first.place())) {
                        claimant = entry.getKey();
                        first = waiter;
                    }
                }
                if (first == null) {
                    return;
                }
                waiting.remove(claimant);
                handedOver.put(claimant, first.place());
            }
            try {
                if (first.takeOver().getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                log.error("supervisor: a configuration waiting for the name '{}' failed to take it over: {}", name,
                        e.toString());
            } finally {
                synchronized (waiting) {
                    handedOver.remove(claimant);
                }
            }
        }
    }

    // ---- called by CrashLoopHealth ----

    /**
     * The processes given up after a crash loop, by name: what {@link CrashLoopHealth} reports. Takes
     * no process's lock, which a spawn holds while it prepares a child container's folders.
     */
    List<ProcessInfo> crashLoops() {
        return processes.values().stream()
                .map(ManagedProcess::givenUp)
                .filter(Objects::nonNull)
                .sorted(Comparator.comparing(ProcessInfo::name))
                .toList();
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
        return required(name).startByHand(BY_HAND_WAIT_MILLIS);
    }

    @Override
    public ProcessInfo stop(String name) {
        ManagedProcess process = required(name);
        awaitEnd(process, process.stopByHand(BY_HAND_WAIT_MILLIS), "");
        return process.info();
    }

    @Override
    public ProcessInfo restart(String name) {
        ManagedProcess process = required(name);
        awaitEnd(process, process.stopToRestartByHand(BY_HAND_WAIT_MILLIS),
                "; not started again: proc:start it once it is STOPPED");
        return process.startByHand(BY_HAND_WAIT_MILLIS);
    }

    @Override
    public List<String> log(String name, int lines) {
        try {
            return required(name).log(lines);
        } catch (IOException e) {
            throw new UncheckedIOException("process '" + name + "': cannot read its log: " + e.getMessage(), e);
        }
    }

    ManagedProcess required(String name) {
        ManagedProcess process = processes.get(name);
        if (process == null) {
            String refusal = refused.reason(name);
            if (refusal != null) {
                throw new NoSuchElementException("no process named '" + name + "': its configuration is refused: "
                        + refusal + "; fixed, it adds the process (log:tail has the refusal)");
            }
            // a file there may be refused, by the config gate or here: "none is configured" alone sent the
            // operator looking at a file that is there
            throw new NoSuchElementException("no process named '" + name + "': none is configured (a file"
                    + " etc/msf.process~" + name + ".cfg would make one; config:rejected and log:tail say why one"
                    + " there is refused); proc:list lists those there are");
        }
        return process;
    }

    /**
     * Waits for the end of a stop: the kill follows the stop timeout, so that plus a margin is enough. The
     * stop's end includes that of a warm spare an earlier configuration discarded, whose SIGKILL follows that
     * configuration's timeout: the longer one is waited for ({@link ManagedProcess#stopWaitMillis}).
     *
     * @param then what the refusal adds when it is not enough (a restart says it started nothing)
     */
    private void awaitEnd(ManagedProcess process, CompletableFuture<Void> end, String then) {
        long stopWaitMillis = process.stopWaitMillis();
        try {
            end.get(withMargin(stopWaitMillis), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("process '" + process.name() + "' has not ended within "
                    + stopWaitMillis + " ms of its SIGTERM and the SIGKILL that followed (STOPPING in"
                    + " proc:list until it has)" + then, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("process '" + process.name() + "': " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while process '" + process.name() + "' stops", e);
        }
    }

    /**
     * A stop timeout and the margin beyond it, at most Long.MAX_VALUE: a sum that overflowed gave up at once,
     * and the supervisor's stop then waited for no child before it dropped their SIGKILLs with its scheduler.
     */
    static long withMargin(long stopTimeoutMillis) {
        return Math.min(stopTimeoutMillis, Long.MAX_VALUE - STOP_MARGIN_MILLIS) + STOP_MARGIN_MILLIS;
    }

    private void post(String process, Map<String, Object> properties) {
        EventAdmin events = eventAdmin.getService();
        if (events == null) {
            log.warn("supervisor: no EventAdmin, so no {} event for process '{}'", CRASH_LOOP_TOPIC, process);
            return;
        }
        Map<String, Object> all = new HashMap<>(properties);
        all.put(EVENT_PROCESS, process);
        events.postEvent(new Event(CRASH_LOOP_TOPIC, all));
    }

    /** A configuration waiting for the name of another's process; the lowest place is handed it first. */
    private record Waiter(String name, BooleanSupplier takeOver, long place) {
    }

    /** Another configuration runs a process of the name. */
    static final class NameTaken extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final String holder;

        NameTaken(String holder, String name) {
            super("name: " + holder + " already runs a process named '" + name + "'");
            this.holder = holder;
        }

        /** The PID of the configuration holding the name, or a phrase if it is not known. */
        String holder() {
            return holder;
        }
    }
}
