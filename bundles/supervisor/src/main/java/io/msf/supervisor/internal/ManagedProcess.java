package io.msf.supervisor.internal;

import io.msf.supervisor.api.ProcessInfo;
import io.msf.supervisor.api.ProcessState;
import io.msf.supervisor.api.ProcessType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.service.log.Logger;

/**
 * One supervised process across its runs: spawns it, hears of its end, and lets its
 * {@link RestartTracker} decide between a restart after the backoff delay, staying down, and
 * giving up after a crash loop. Every change happens under this object's lock; the end of a run
 * is reported by the JDK's process reaper and stale reports (of a run already replaced) are
 * ignored. A spawn holds the lock for as long as it lasts (a child container's folders prepared, its
 * JDK's release file read, a hung mount): what proc:list shows is published at each change and read
 * without it ({@link #info}), and a removal or a new configuration waits for it on a spawning thread, not
 * the caller's.
 *
 * <p>A child container with {@code warmSpare=true} gets a spare JVM once it is ready (and has
 * written the class-data archive it records, which the spare then maps): the spare boots and
 * waits ({@link SpareSlot}), and a restart promotes it instead of spawning a new JVM. A restart
 * without a usable spare spawns as always.
 */
final class ManagedProcess {

    /** How long the copiers of a process removed may go on to drain what it wrote before it ended. */
    static final long COPIER_GRACE_MILLIS = 2000;

    private final ProcessEnvironment env;
    private final Logger log;
    private ProcessSpec spec;
    private RestartTracker tracker;
    /**
     * Written under the lock, volatile for proc:log and for the supervisor's check of a removed process's copiers,
     * which read it without: a spawn holds the lock for as long as it lasts, and a removed process's may outlast
     * its removal ({@link #remove}).
     */
    private volatile RotatingLog output;
    /** Written under the lock, volatile for {@link #givenUp}, which reads it without. */
    private volatile ProcessState state = ProcessState.STOPPED;
    /**
     * The process as it was given up after a crash loop, written just before the state becomes
     * CRASH_LOOP: the health check reads it without the lock, which a spawn holds while it prepares
     * a child container's folders, longer than the monitor waits for a check.
     */
    private volatile ProcessInfo givenUp;
    /** The current run while it is alive (RUNNING, STARTING, STOPPING), else null. */
    private Process process;
    /** The process group the current run leads ({@link ProcessGroup}), else null (no {@code setsid} here). */
    private ProcessGroup group;
    private long startedAt;
    private int lastExitCode = -1;
    private String lastError = "";
    /** The name a crash-loop alert was raised under and not yet cleared, or null. */
    private String crashLoopRaisedFor;
    private int restarts;
    private ScheduledFuture<?> pendingRestart;
    /** Stops the current run if it is not ready by its spec's readyTimeoutMillis (a child container), else null. */
    private ScheduledFuture<?> readyTimer;
    /**
     * Counts cancelled restarts: a restart waiting for its backoff or for leftovers, made before the last
     * cancel, is dropped.
     */
    private long restartsCancelled;
    /**
     * The end of what the last run that ended by itself left running (its group's members), or of a
     * run a parent that died left behind ({@link ChildSpawner#endLeftover}), which the next run
     * waits for: two copies of a program would hold the same port or file.
     */
    private CompletableFuture<Void> leftoversEnded = CompletableFuture.completedFuture(null);
    /**
     * The booted spare waiting to take over (warmSpare); replaced with the configuration. Written under the
     * lock, volatile for {@link #stopWaitMillis}, which a removal reads on Config Admin's thread without it.
     */
    private volatile SpareSlot spare;
    private CompletableFuture<Void> ended = CompletableFuture.completedFuture(null);
    /** Completes when the run being stopped and its whole tree have ended; STOPPED follows then. */
    private CompletableFuture<Void> stopped = CompletableFuture.completedFuture(null);
    /**
     * Set by {@link #remove}, without the lock a spawn may hold: nothing starts this process again, not even
     * a reconfiguration or a restart in flight.
     */
    private volatile boolean removed;
    /** What {@link #info} shows, published under the lock at the end of each change ({@link #publish}). */
    private volatile Shown shown;
    /**
     * A new configuration waiting for the end of the run it replaces ({@link #reconfigure}), or
     * null: whatever starts the process first puts it in force, so no run starts with the old one.
     */
    private ProcessSpec pending;
    /** The configurations delivered ({@link #reconfigure}), put in force off the thread delivering them. */
    private final NewestConfiguration newest;
    /**
     * Whether a run of this process has been spawned: from then on its pid record names this process's own
     * runs, not one a parent that died left ({@link #endLeftover}).
     */
    private boolean spawnedOnce;
    /** When the spawn under way began, or null: what an operator's command refused for it says. */
    private volatile Instant spawningSince;
    /** Runs the operator's commands (proc:start, proc:stop, proc:restart) without waiting for a hung spawn. */
    private final OperatorCommand byHand;

    /**
     * The process a configuration renamed, ending, that this one's first run waits for; null if that is a
     * process removed under this one's name ({@link ProcessSupervisor#add}), or none.
     */
    private final String predecessor;
    private final CompletableFuture<Void> predecessorEnded;

    ManagedProcess(ProcessSpec spec, ProcessEnvironment env) {
        this(spec, env, null, CompletableFuture.completedFuture(null));
    }

    /**
     * The process of a configuration whose name changed: no run starts before {@code predecessorEnded},
     * the end of the one it ran under its old name {@code predecessor} (BACKOFF meanwhile), and a stop
     * waits for that end too. Both would hold the same port, or, as child containers, export the same
     * agent names. With {@code predecessor} null, the one ending is a process removed under this name.
     */
    ManagedProcess(ProcessSpec spec, ProcessEnvironment env, String predecessor,
            CompletableFuture<Void> predecessorEnded) {
        this.env = env;
        this.log = env.log();
        this.predecessor = predecessor;
        this.predecessorEnded = predecessorEnded;
        this.leftoversEnded = predecessorEnded;
        this.newest = new NewestConfiguration(this, env.spawning(), () -> removed, this::putInForce);
        this.byHand = new OperatorCommand(this, env.spawning(), this::name, () -> spawningSince);
        configure(spec);
        publish();
    }

    synchronized ProcessSpec spec() {
        return spec;
    }

    synchronized ProcessState state() {
        return state;
    }

    /** The process as given up after a crash loop while it stays so, else null; without the lock. */
    ProcessInfo givenUp() {
        return state == ProcessState.CRASH_LOOP ? givenUp : null;
    }

    /**
     * Starts a process that is down, clearing a crash loop and the grown backoff; a live one stays as
     * it is, and so does one still stopping (its descendants may hold what a new run needs). While
     * what the last run left is still ending, the run starts once it has ended (BACKOFF meanwhile).
     */
    synchronized void start() {
        if (process != null || state == ProcessState.STOPPING || removed) {
            return;
        }
        applyPending(); // a start (proc:restart) while a reconfiguration waits for the old run's end
        cancelRestart();
        clearCrashLoop("is started again");
        tracker.reset();
        lastError = "";
        startNextRun();
        publish();
    }

    /**
     * The first start of a process just added, made on a spawning thread: the one adding it is Config Admin's
     * thread, which a spawn that hangs (a hung mount under the command or the JDK) held up with every other
     * configuration of the container. Skipped if a start, a stop (proc:stop) or a new configuration came
     * first, each of which counts as a cancel: that one decides whether it runs.
     */
    synchronized void startFirst() {
        if (restartsCancelled == 0) {
            start();
        }
    }

    /**
     * Ends the run a parent that died left behind, if its pid record names one, without starting the
     * process: one added disabled is never started, and its leftover would run on unsupervised, holding
     * its port and files, while proc:list shows it STOPPED. A later start waits for that end.
     *
     * <p>Made on a spawning thread: the one adding the process is Config Admin's thread, and the read of the
     * record (a hung mount under the data folder) held up every other configuration of the container. A start
     * or a new configuration that comes first goes on: once a run has been spawned the record names this
     * process's own, and a start ends a leftover itself first ({@link #startNextRun}).
     */
    synchronized void endLeftover() {
        if (process == null && !removed && leftoversEnded.isDone() && !spawnedOnce) {
            leftoversEnded = env.spawner().endLeftover(spec, env.scheduler());
        }
    }

    /**
     * A start asked for by the operator (proc:start, proc:restart): as {@link #start}, but one still
     * stopping is refused, and the process is returned as this start left it. Decided under the lock the
     * start takes: a second look, under a second hold, saw a stop (or a reconfiguration) that came
     * between as a start that did not happen. Waits for that lock at most {@code waitMillis}
     * ({@link OperatorCommand}).
     *
     * @throws IllegalStateException if it is still stopping: it was not started, and the message says when
     *     it can be; or if a spawn held the lock for longer than {@code waitMillis}
     */
    ProcessInfo startByHand(long waitMillis) {
        return byHand.run("started", waitMillis, this::startNow, false);
    }

    private synchronized ProcessInfo startNow() {
        if (state == ProcessState.STOPPING) {
            throw new IllegalStateException("process '" + spec.name() + "' is still stopping"
                    + (process == null ? " (what its last run started has not ended yet)" : " (pid " + process.pid() + ")")
                    + ", so it was not started; what is left gets SIGKILL " + spec.stopTimeoutMillis()
                    + " ms after its SIGTERM: proc:start it once proc:list shows it STOPPED");
        }
        start();
        return info();
    }

    /**
     * The stop of proc:restart: as {@link #stop}, waiting for this process's lock at most {@code waitMillis}
     * ({@link OperatorCommand}).
     */
    CompletableFuture<Void> stopToRestartByHand(long waitMillis) {
        return byHand.run("restarted", waitMillis, this::stop, true);
    }

    /** The process's name, which no configuration of it changes (a new name is a new process); without the lock. */
    String name() {
        return shown.spec().name();
    }

    /**
     * SIGTERM (to the whole tree of a command), then SIGKILL after the stop timeout. No restart
     * follows until {@link #start}. The stop is over, and the state STOPPED, once the run and every
     * process of its tree have ended: a descendant that ignores SIGTERM and outlives the run is
     * waited for, and killed with what is left after the stop timeout.
     *
     * @return completes when the run, its tree and its spare have ended, and what the last run left
     *         (at once if none of them is alive)
     */
    synchronized CompletableFuture<Void> stop() {
        cancelRestart();
        CompletableFuture<Void> spareEnded = spare.discard().thenCombine(leftoversEnded, (spareRun, left) -> null);
        if (state != ProcessState.STOPPING) {
            if (process == null) {
                if (state == ProcessState.BACKOFF) {
                    state = ProcessState.STOPPED;
                }
                publish();
                return spareEnded;
            }
            state = ProcessState.STOPPING;
            TreeEnding ending = TreeEnding.stop(spec, process, group, env);
            CompletableFuture<Void> runEnded = ended;
            // checked first where the run's end is handled: the scheduler is only for the rare leftovers
            stopped = ending.endedAfter(runEnded, env.scheduler()).thenRun(this::stopEnded);
        }
        publish();
        return stopped.thenCombine(spareEnded, (run, spareRun) -> null);
    }

    /**
     * A stop asked for by the operator (proc:stop): as {@link #stop}, and one given up after a crash
     * loop is STOPPED from now on, its alert cleared. It stayed CRASH_LOOP, its alert raised and the
     * health WARN, though the operator had taken it over: the API's STOPPED is "stopped on request".
     * Waits for this process's lock at most {@code waitMillis} ({@link OperatorCommand}).
     */
    CompletableFuture<Void> stopByHand(long waitMillis) {
        return byHand.run("stopped", waitMillis, this::stopNow, true);
    }

    private synchronized CompletableFuture<Void> stopNow() {
        if (state == ProcessState.CRASH_LOOP) {
            clearCrashLoop("is stopped by hand (proc:stop), which leaves it down");
            state = ProcessState.STOPPED;
        }
        return stop();
    }

    private synchronized void stopEnded() {
        if (state == ProcessState.STOPPING && process == null) {
            state = ProcessState.STOPPED;
            publish();
        }
    }

    /**
     * A new configuration: the current run (if any) is stopped, then the process starts with the
     * new settings if it is enabled. The settings in force delivered again (an update that changes
     * no value) leave the process as it is, running or not.
     *
     * <p>Returns at once, whatever this process's lock is held for: the caller is Config Admin's thread,
     * which delivers every configuration of the container, and a spawn holds the lock for as long as it
     * lasts. The configuration is applied on a spawning thread once the lock is free; of configurations
     * delivered meanwhile the last one wins, whatever order their threads take the lock in.
     *
     * @return completes when the new settings (or newer ones) are in force; exceptionally once the supervisor
     *         has stopped, when nothing is started any more
     */
    CompletableFuture<Void> reconfigure(ProcessSpec next) {
        return newest.deliver(next);
    }

    /**
     * Stops the run for {@code next}, the newest configuration delivered ({@link NewestConfiguration}), which
     * calls this under the lock it already holds.
     *
     * @return completes when {@code next} is in force
     */
    private synchronized CompletableFuture<Void> putInForce(ProcessSpec next) {
        if (pending == null && next.equals(spec)) {
            return CompletableFuture.completedFuture(null);
        }
        pending = next; // a later configuration replaces one still waiting
        CompletableFuture<Void> stopped = stop();
        // the new settings' start on a spawning thread, as a restart's: a slow spawn on the scheduler held up every
        // other process's restarts and kills. Once the supervisor has stopped, its spawning threads refuse it: the
        // future returned completes exceptionally, and the process, removed by then, starts nothing
        return stopped.thenRunAsync(this::startWithPending, env.spawning());
    }

    private synchronized void startWithPending() {
        if (removed) {
            return; // removed while the old run stopped: remove() closes the output
        }
        if (pending == null) {
            return; // a start (or an earlier reconfiguration's end) has put it in force already
        }
        boolean enabled = pending.enabled();
        applyPending();
        if (enabled) {
            start();
        } else {
            clearCrashLoop("has a new configuration, which leaves it down (enabled = false)");
            state = ProcessState.STOPPED;
        }
        publish();
    }

    /** Puts the configuration waiting for the old run's end in force; the process must be down. */
    private void applyPending() {
        if (pending == null) {
            return;
        }
        ProcessSpec next = pending;
        pending = null;
        configure(next);
    }

    /**
     * Stops the process for good (its configuration was deleted, or the supervisor stops). Returns at once,
     * whatever this process's lock is held for: the caller may be Config Admin's thread, and a spawn holds
     * it for as long as the spawn lasts. Nothing starts once this has returned; the stop itself is made on a
     * spawning thread once the lock is free; a run such a spawn starts is killed as the spawn returns
     * ({@link #killRemoved}), also past the supervisor's stop.
     */
    CompletableFuture<Void> remove() {
        removed = true;
        CompletableFuture<CompletableFuture<Void>> stopping;
        try {
            stopping = CompletableFuture.supplyAsync(this::stopForGood, env.spawning());
        } catch (RejectedExecutionException supervisorStopped) {
            stopping = CompletableFuture.completedFuture(stopForGood()); // no spawn runs past the supervisor's stop
        }
        return stopping.thenCompose(stop -> stop).whenComplete((ignored, failure) -> closeOutput());
    }

    private synchronized CompletableFuture<Void> stopForGood() {
        clearCrashLoop("is no longer supervised (its configuration was deleted, or the supervisor stopped)");
        return stop();
    }

    /**
     * How long a stop of this process may take before its last SIGKILL: its stop timeout, or the longer one of
     * a configuration before whose discarded warm spare has not ended yet ({@link SpareSlot#stopWaitMillis}).
     * Without this process's lock, as {@link #remove}.
     */
    long stopWaitMillis() {
        return spare.stopWaitMillis();
    }

    /**
     * The process as proc:list shows it, read without this process's lock, which a spawn may hold for long:
     * what was published at the last change, with what is measured now. A child container whose status file
     * says it is ready is shown RUNNING at once, and becomes so under the lock on a spawning thread.
     */
    ProcessInfo info() {
        Shown now = shown;
        Process live = now.run();
        ProcessState shownState = now.state();
        long rss = -1;
        long cpu = -1;
        long heap = -1;
        long at = env.clock().getAsLong();
        if (live != null) {
            rss = ProcessTree.rssBytes(live.toHandle());
            cpu = ProcessTree.cpuMillis(live.toHandle());
            if (now.spec().type() == ProcessType.CONTAINER) {
                ContainerStatus status = ContainerStatus.read(env.spawner().layout(now.spec().name()).statusFile());
                heap = status.heapUsed();
                // and nothing published since the snapshot was read: the ready timeout's verdict is published
                // before its SIGTERM, which a child may answer by writing the file ready (read after it here)
                if (shownState == ProcessState.STARTING && !now.notReadyInTime() && status.ready() && shown == now) {
                    shownState = ProcessState.RUNNING;
                    becomeReadyLater(live);
                }
            }
        }
        // up as long as the backoff's reset: healthy, so an error of an earlier run is over
        String error = live != null && at >= now.healthyFrom() ? "" : now.lastError();
        return new ProcessInfo(now.spec().name(), now.spec().type(), shownState, live == null ? -1 : live.pid(),
                live == null ? 0 : at - now.startedAt(), now.restarts(), now.lastExitCode(), rss, cpu, heap, error,
                now.spare().pid());
    }

    /** The run's readiness, seen by {@link #info}, recorded under the lock off the caller's thread. */
    private void becomeReadyLater(Process run) {
        try {
            env.spawning().execute(() -> readiness(run));
        } catch (RejectedExecutionException supervisorStopped) {
            // nothing is recorded of a run past the supervisor's stop
        }
    }

    /** Publishes what {@link #info} shows; under the lock, at the end of each change. */
    private void publish() {
        shown = new Shown(spec, state, process, startedAt, restarts, lastExitCode, lastError, tracker.healthyFrom(),
                tracker.gaveUp(), spare);
    }

    /**
     * The last {@code lines} the process wrote; without this process's lock, which a spawn holds for as long as
     * it lasts (proc:log waited for a hung one, just when its log says why), and which the handling of an exit
     * must not wait for while a large tail is read.
     */
    List<String> log(int lines) throws IOException {
        return output.tail(lines);
    }

    private void configure(ProcessSpec next) {
        // A start that slipped in during a reconfiguration may have booted a spare, and a start (proc:start)
        // may put the new configuration in force before the spare the reconfiguration's stop discarded has
        // ended: the new slot's run and spare wait for them.
        long discardedStopMillis = spare == null ? 0 : spare.stopWaitMillis();
        CompletableFuture<Void> discarded = spare == null ? CompletableFuture.completedFuture(null) : spare.discard();
        spec = next;
        tracker = new RestartTracker(next.rules());
        Path file = env.spawner().logFile(next.name());
        if (output != null && output.file().equals(file)) {
            // the same file, so the same writer: the old run's last output may still be on its way
            output.limits(next.logMaxBytes(), next.logMaxFiles());
        } else {
            if (output != null) {
                closeOutput();
            }
            output = new RotatingLog(file, next.logMaxBytes(), next.logMaxFiles());
        }
        spare = new SpareSlot(next, output, env, this::readiness, discarded, discardedStopMillis);
    }

    private void spawn() {
        Process started;
        InputStream startedOutput;
        long now = env.clock().getAsLong();
        tracker.started(now, reportsReady());
        Instant launched = Instant.now();
        spawnedOnce = true;
        spawningSince = launched;
        try {
            ChildSpawner.Run run = env.spawner().spawn(spec);
            started = run.process();
            startedOutput = run.output();
        } catch (IOException | RuntimeException e) {
            if (removed) {
                failedAfterRemoval(e);
                return;
            }
            lastError = "cannot start " + spec.command() + ": " + e.getMessage();
            log.error("process '{}': {}", spec.name(), lastError);
            outputLine("--- msf: " + lastError);
            ended(-1);
            return;
        } finally {
            spawningSince = null;
        }
        if (removed) {
            killRemoved(started, startedOutput, launched);
            return;
        }
        // The run's start line before the copy of its output begins: what it prints at once waits in the
        // pipe, and comes after the line in the process log, not before it.
        outputLine("--- msf: " + Instant.now() + " started pid " + started.pid());
        ProcessGroup runGroup = ProcessGroup.supported() ? ProcessGroup.ledBy(started.pid(), launched) : null;
        try {
            OutputPump.start(spec.name(), started.pid(), startedOutput, output, log);
        } catch (RuntimeException | Error e) {
            unwatched(started, runGroup, e); // the thread could not start: out of memory or of threads
            return;
        }
        log.info("process '{}' started: pid {}, {}", spec.name(), started.pid(), spec.command());
        becomeTheRun(started, runGroup, now);
    }

    /**
     * A spawned run whose output cannot be copied is no run: nothing would drain its pipe or hear of
     * its end. It is ended with its group, as what a run left is, and the start has failed; the next
     * run waits for that end.
     */
    private void unwatched(Process started, ProcessGroup runGroup, Throwable failure) {
        lastError = "cannot start " + spec.command() + ": pid " + started.pid() + " started, but its output cannot"
                + " be copied (" + failure + "); ending it";
        log.error("process '{}': {}", spec.name(), lastError);
        outputLine("--- msf: " + Instant.now() + " " + lastError);
        leftoversEnded = TreeEnding.endUnwatched(spec, started, runGroup, env);
        ended(-1);
    }

    /**
     * A run whose spawn returned once its process was removed ({@link #remove} sets that without the lock the
     * spawn holds): it never becomes the run, and is killed at once with what it started, its output not
     * copied. As the run, it got from the removal's stop a SIGTERM and a SIGKILL timed on the scheduler; but a
     * spawn that hangs may return past the supervisor's stop, which waits for its processes only so long and
     * then shuts the scheduler down: a container's ready timeout could not be timed (its end left unwatched),
     * nor the SIGKILL, and a run that ignores SIGTERM outlived the bundle, its copier reading on. The
     * removal's stop, which waits for the lock, waits for this end ({@link #leftoversEnded}).
     */
    private void killRemoved(Process started, InputStream startedOutput, Instant launched) {
        killRemoved(started, ProcessGroup.supported() ? ProcessGroup.ledBy(started.pid(), launched) : null,
                "started pid " + started.pid());
        try {
            startedOutput.close(); // nothing copies it: no fd is left open
        } catch (IOException e) {
            log.warn("process '{}': cannot close the output of pid {}: {}", spec.name(), started.pid(), e.getMessage());
        }
    }

    /** @param what the run and how it came, for the log: "started pid N", "warm spare pid N took over" */
    private void killRemoved(Process run, ProcessGroup runGroup, String what) {
        String killed = what + " after the process was removed; killing it (SIGKILL) and what it started";
        log.info("process '{}' {}", spec.name(), killed);
        outputLine("--- msf: " + Instant.now() + " " + killed);
        leftoversEnded = TreeEnding.killNow(run, runGroup, env.scheduler());
    }

    /**
     * A spawn that failed once its process was removed ({@link #remove} sets that without the lock the spawn
     * holds): nothing restarts a process no longer supervised, nor counts its crash loop. As a failed start, it
     * timed its restart on the scheduler, which a spawn that returns past the supervisor's stop finds shut down:
     * the refusal was thrown on the spawning thread, its stack trace printed. Nothing was spawned, so nothing is
     * left to end; the removal's stop, which waits for the lock, leaves the process STOPPED.
     */
    private void failedAfterRemoval(Exception failure) {
        String failed = "start failed after the process was removed (" + failure.getMessage()
                + "); nothing restarts it";
        log.info("process '{}': {}", spec.name(), failed);
        outputLine("--- msf: " + Instant.now() + " " + failed);
    }

    private void becomeTheRun(Process run, ProcessGroup runGroup, long now) {
        process = run;
        group = runGroup;
        startedAt = now;
        state = spec.type() == ProcessType.CONTAINER ? ProcessState.STARTING : ProcessState.RUNNING;
        ended = new CompletableFuture<>();
        if (reportsReady()) {
            readyTimer = env.scheduler().schedule(() -> stopIfNotReady(run), spec.readyTimeoutMillis(),
                    TimeUnit.MILLISECONDS);
        }
        watchReadiness(run);
        // last: if the run is already over, exited() runs right here
        run.onExit().thenAccept(this::exited);
    }

    /**
     * Makes the waiting spare the next run; without one, or if that fails, spawns one once every
     * spare that did not take over has ended, and what it left running (BACKOFF meanwhile), also the
     * old configuration's: a spare that could not take over may have been told to, and what a spare
     * left may hold what the run needs.
     */
    private void promoteSpareOrSpawn() {
        SpareSlot.Taken taken = spare.take();
        if (taken != null && promote(taken)) {
            return;
        }
        CompletableFuture<Void> sparesEnded = spare.discardedEnded();
        if (sparesEnded.isDone()) {
            spawn();
            return;
        }
        leftoversEnded = sparesEnded;
        // a start that put a new configuration in force: the spare its stop discarded, never asked to take over
        waitForLeftovers(spare.earlierConfigurationsSpareEnding() ? "the old configuration's warm spare, and what it"
                + " left running," : "the warm spare that did not take over, and what it left running,");
    }

    /**
     * Whether the spare took over, or was killed as its process was removed meanwhile: no spawn follows either
     * way. If it could not take over, it is ended with its group as a discarded spare is.
     */
    private boolean promote(SpareSlot.Taken taken) {
        Process promoted = taken.process();
        long now = env.clock().getAsLong();
        try {
            // the line before the spare is told: what it prints at once follows it in the process log
            env.spawner().promote(spec, promoted, () -> outputLine("--- msf: " + Instant.now() + " warm spare pid "
                    + promoted.pid() + " takes over"));
        } catch (IOException | RuntimeException e) {
            log.warn("process '{}': cannot promote its warm spare (pid {}), starting a new JVM instead: {}", spec.name(),
                    promoted.pid(), e.getMessage());
            outputLine("--- msf: " + Instant.now() + " warm spare pid " + promoted.pid() + " cannot take over ("
                    + e.getMessage() + "); starting a new JVM");
            spare.discard(taken);
            return false;
        }
        if (removed) {
            // as a spawn that returns once the process was removed: the promotion, which prepares the child's
            // folders, may hang as long, and past the supervisor's stop the run's ready timeout was refused by the
            // scheduler (thrown on this thread, its end never heard of) and the stop's SIGKILL could not be timed
            killRemoved(promoted, taken.group(), "warm spare pid " + promoted.pid() + " took over");
            return true;
        }
        tracker.started(now, reportsReady());
        log.info("process '{}': its warm spare, pid {}, takes over", spec.name(), promoted.pid());
        // launched as the run is, it leads a group of its own since its boot
        becomeTheRun(promoted, taken.group(), now);
        return true;
    }

    /** With warmSpare: the spare boots once the run is ready. */
    private void watchReadiness(Process run) {
        if (spec.warmSpare()) {
            spare.bootWhenReady(run);
        }
    }

    /** Whether {@code run} is ready; empty if it is no longer the current run. */
    private synchronized Optional<Boolean> readiness(Process run) {
        if (run != process) {
            return Optional.empty();
        }
        refreshReadiness();
        publish();
        return Optional.of(state == ProcessState.RUNNING);
    }

    /**
     * Whether a run says when it is ready: a child container does, with its ready line; a command has
     * no such signal, and is up from its start.
     */
    private boolean reportsReady() {
        return spec.type() == ProcessType.CONTAINER;
    }

    /**
     * STARTING becomes RUNNING once the child container's status file says it is ready. The file is
     * read only when asked (proc:list, the spare's poll, the run's end), so the run's ready time comes
     * from the file's {@code readyMillis}, counted from its start, not from when it was read. A run
     * stopped for not being ready in time stays STARTING whatever the file says later (a child may write
     * it while it handles the SIGTERM): the timeout's verdict is final, no spare boots beside it, and its
     * end is a failed start.
     */
    private ContainerStatus refreshReadiness() {
        ContainerStatus status = ContainerStatus.read(env.spawner().layout(spec.name()).statusFile());
        if (state == ProcessState.STARTING && !tracker.gaveUp() && status.ready()) {
            state = ProcessState.RUNNING;
            long now = env.clock().getAsLong();
            tracker.ready(status.readyMillis() < 0 ? now : Math.min(now, startedAt + status.readyMillis()));
        }
        return status;
    }

    /**
     * A child container that has not printed its ready line within readyTimeoutMillis is stopped as a
     * stop by request stops it (SIGTERM, SIGKILL after the stop timeout, its group once it has ended),
     * but its end is a failed start: restarted by the policy, and the crash loop after too many in a
     * row. Without this, one hanging in its boot stayed STARTING for ever, and one hanging longer than
     * the window divided by the limit never reached the crash loop.
     */
    private synchronized void stopIfNotReady(Process run) {
        if (run != process || state != ProcessState.STARTING) {
            return;
        }
        refreshReadiness();
        if (state != ProcessState.STARTING) {
            publish();
            return; // ready after all: the status file had not been read since
        }
        tracker.notReadyInTime();
        lastError = "not ready after " + spec.readyTimeoutMillis() + " ms (readyTimeoutMillis)";
        log.warn("process '{}' (pid {}) {}; stopping it", spec.name(), run.pid(), lastError);
        outputLine("--- msf: " + Instant.now() + " pid " + run.pid() + " " + lastError + "; stopping it");
        // before the SIGTERM: a child that writes its status file ready as it is told to stop must not be
        // shown RUNNING by a proc:list that reads the file before this is published
        publish();
        // endedAfter calls the SIGKILL off once the run and its group have ended, and sends the group its SIGTERM
        TreeEnding.stop(spec, run, group, env).endedAfter(ended, env.scheduler());
    }

    private void exited(Process run) {
        CompletableFuture<Void> done;
        synchronized (this) {
            if (run != process) {
                return;
            }
            if (tracker.healthy(env.clock().getAsLong())) {
                lastError = ""; // up as long as the backoff's reset: an error of an earlier run is over
            }
            process = null;
            if (readyTimer != null) {
                readyTimer.cancel(false);
                readyTimer = null;
            }
            lastExitCode = run.exitValue();
            outputLine("--- msf: " + Instant.now() + " pid " + run.pid() + " ended with " + ExitCodes.describe(lastExitCode));
            done = ended;
            ProcessGroup runGroup = group;
            group = null;
            if (state == ProcessState.STOPPING) {
                // STOPPED once what is left of its tree has ended too (stop())
                log.info("process '{}' stopped (pid {}, {})", spec.name(), run.pid(), ExitCodes.describe(lastExitCode));
            } else {
                if (reportsReady()) {
                    refreshReadiness(); // the status file outlives the run: whether, and since when, it was up
                }
                leftoversEnded = TreeEnding.endLeftovers(spec, run.pid(), runGroup, env); // a restart waits for it
                ended(lastExitCode);
            }
            publish();
        }
        done.complete(null);
    }

    /**
     * The run ended by itself, or could not be spawned ({@code exitCode} -1, the reason in lastError):
     * the tracker decides what follows.
     */
    private void ended(int exitCode) {
        if (removed) {
            // Its removal's stop waits for this lock (remove()) and restarts nothing: a restart timed here was
            // logged as one to come, counted towards a crash loop (its alert raised, then cleared by the stop),
            // and, past the supervisor's stop, refused on the JDK's reaper thread, which swallowed the refusal
            // with the rest of this end (nothing published).
            state = ProcessState.STOPPED;
            log.info("process '{}' ended after it was removed; nothing restarts it", spec.name());
            return;
        }
        // stopped for not being ready, a child container still ends with 0 (its launcher stops cleanly): a failure
        boolean notReadyInTime = tracker.gaveUp();
        RestartTracker.Decision decision = tracker.ended(exitCode != 0 || notReadyInTime, env.clock().getAsLong());
        // a run that never was has no exit code to tell: why it could not start is what the operator needs
        boolean spawned = exitCode >= 0;
        if (!spawned) {
            lastExitCode = -1; // proc:list must not show the run before's code as this start's
        }
        String how = !spawned ? lastError
                : notReadyInTime ? "was " + lastError + ", then ended with " + ExitCodes.describe(exitCode)
                : "ended with " + ExitCodes.describe(exitCode);
        switch (decision.action()) {
            case RESTART -> {
                state = ProcessState.BACKOFF;
                restarts++;
                log.warn("process '{}' {}; restarting it in {} ms ({} restarts within {} ms)",
                        spec.name(), how, decision.delayMillis(), decision.restartsInWindowShown(),
                        spec.rules().windowMillis());
                long ticket = restartsCancelled;
                // timed on the scheduler, spawned off it: a slow spawn must not hold up the other processes' timers.
                // Refused once the supervisor has stopped (every process removed first): the refusal ends that task only
                pendingRestart = env.scheduler().schedule(() -> env.spawning().execute(() -> restartAfterBackoff(ticket)),
                        decision.delayMillis(), TimeUnit.MILLISECONDS);
            }
            case STAY_DOWN -> {
                spare.discard();
                state = ProcessState.EXITED;
                log.info("process '{}' {}; restart policy {} leaves it down", spec.name(), how,
                        spec.rules().policy().key());
            }
            case CRASH_LOOP -> {
                spare.discard();
                boolean inWindow = decision.limit() == RestartTracker.Limit.RESTARTS_IN_WINDOW;
                lastError = "crash loop: " + how + (spawned ? " after " : "; ") + decision.counted() + (inWindow
                        ? " restarts within " + spec.rules().windowMillis() + " ms"
                        : " restarts in a row, none of whose runs became ready") + "; stays down until proc:start "
                        + spec.name();
                // what info() says of it from now on (no run, no spare); before the state, which publishes it
                givenUp = new ProcessInfo(spec.name(), spec.type(), ProcessState.CRASH_LOOP, -1, 0, restarts,
                        lastExitCode, -1, -1, -1, lastError, -1);
                state = ProcessState.CRASH_LOOP;
                log.error("process '{}' {}", spec.name(), lastError);
                env.alert().raise(spec.name(), decision.counted(), spec.rules().windowMillis(), decision.limit(),
                        exitCode, "process '" + spec.name() + "' " + lastError);
                crashLoopRaisedFor = spec.name();
            }
        }
    }

    /**
     * Clears the crash-loop alert raised for this process, if one is: those who follow the alerts saw it
     * raised, and must see it end (as msf:health's WARN ends by itself).
     */
    private void clearCrashLoop(String why) {
        if (crashLoopRaisedFor != null) {
            String message = "process '" + crashLoopRaisedFor + "' leaves its crash loop: it " + why;
            log.info(message);
            env.alert().clear(crashLoopRaisedFor, message);
            crashLoopRaisedFor = null;
        }
    }

    /**
     * The backoff is over. Dropped if a restart was cancelled since it was timed: once handed to the spawning
     * threads its cancel no longer reaches it, and a later BACKOFF's restart would otherwise come early.
     */
    private synchronized void restartAfterBackoff(long ticket) {
        // removed: its stop, which cancels this restart, may wait for the lock yet (remove())
        if (ticket == restartsCancelled && state == ProcessState.BACKOFF && process == null && !removed) {
            startNextRun();
            publish();
        }
    }

    /**
     * Starts the next run, or, while what the last run left is still ending, once it has ended:
     * SIGTERM has reached it, SIGKILL follows after the stop timeout. BACKOFF meanwhile. The last run
     * may be one a parent that died left behind: only its pid record tells of it, and it is ended
     * the same way, never waited for on this thread, which holds this process's lock (proc:list,
     * proc:stop wait for it) and may be the operator's.
     */
    private void startNextRun() {
        if (leftoversEnded.isDone()) {
            leftoversEnded = env.spawner().endLeftover(spec, env.scheduler());
        }
        if (leftoversEnded.isDone()) {
            promoteSpareOrSpawn();
            return;
        }
        if (leftoversEnded == predecessorEnded) {
            waitUntilLeftoversEnded(predecessor != null ? "the first run waits for process '" + predecessor
                    + "', which this configuration ran under its old name, to end (killed after its own"
                    + " stopTimeoutMillis)" : "the first run waits for the process removed under this name to end"
                    + " (killed after its own stopTimeoutMillis; a start of it that hangs is waited for)");
            return;
        }
        waitForLeftovers("what the last one left running");
    }

    /**
     * BACKOFF until {@link #leftoversEnded}, then the next run: they have had SIGTERM, and SIGKILL
     * follows after the stop timeout.
     */
    private void waitForLeftovers(String what) {
        waitUntilLeftoversEnded("the next run waits for " + what + " to end (killed " + spec.stopTimeoutMillis()
                + " ms after its SIGTERM)");
    }

    private void waitUntilLeftoversEnded(String waits) {
        state = ProcessState.BACKOFF;
        log.info("process '{}': {}", spec.name(), waits);
        outputLine("--- msf: " + Instant.now() + " " + waits);
        long ticket = restartsCancelled;
        leftoversEnded.thenRunAsync(() -> startAfterLeftovers(ticket), env.spawning());
    }

    private synchronized void startAfterLeftovers(long ticket) {
        if (ticket == restartsCancelled && state == ProcessState.BACKOFF && process == null && !removed) {
            promoteSpareOrSpawn();
            publish();
        }
    }

    private void cancelRestart() {
        restartsCancelled++;
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
    }

    private void outputLine(String line) {
        try {
            output.line(line);
        } catch (IOException e) {
            log.warn("process '{}': cannot write to {}: {}", spec.name(), output.file(), e.getMessage());
        }
    }

    private synchronized void closeOutput() {
        RotatingLog done = output;
        try {
            done.close();
        } catch (IOException e) {
            log.warn("process '{}': cannot close {}: {}", spec.name(), done.file(), e.getMessage());
        }
        // What still writes to it after a grace for the copiers to drain the run's last output is what the
        // process left running outside its group, which the stop did not end: its copier would read on for as
        // long as that lives, the log open, after the process was removed and even past the supervisor's stop.
        try {
            env.scheduler().schedule(done::endCopiers, COPIER_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            done.endCopiers(); // the supervisor stopped: see endCopiers()
        }
    }

    /**
     * The supervisor stops, and with it the scheduler that would end the copiers still reading after a
     * grace ({@link #closeOutput}): they get what is left of it here, {@code graceMillis}, then are
     * ended. Call after {@link #remove} has completed.
     */
    void endCopiers(long graceMillis) throws InterruptedException {
        RotatingLog done = output();
        if (done != null && !done.awaitCopiers(graceMillis)) {
            done.endCopiers();
        }
    }

    /** Whether no copier of its output reads any more (none ever did, or all have ended). */
    boolean copiersEnded() {
        RotatingLog done = output();
        return done == null || !done.copying();
    }

    /** {@link #endCopiers(long)} without a grace. */
    void endCopiersNow() {
        RotatingLog done = output();
        if (done != null) {
            done.endCopiers();
        }
    }

    /**
     * Without this process's lock: the supervisor asks every process removed before at each removal, on
     * Config Admin's thread, and a removed process's spawn may hold the lock for as long as it hangs.
     */
    private RotatingLog output() {
        return output;
    }

    /** What {@link #info} reads of the process without the lock; {@code run} is null while none is alive. */
    private record Shown(ProcessSpec spec, ProcessState state, Process run, long startedAt, int restarts,
            int lastExitCode, String lastError, long healthyFrom, boolean notReadyInTime, SpareSlot spare) {
    }
}
