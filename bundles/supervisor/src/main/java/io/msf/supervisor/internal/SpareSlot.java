package io.msf.supervisor.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The warm spare of one child container (key {@code warmSpare}): at most one booted JVM of it,
 * waiting for the line that promotes it (io.msf.launcher.WarmSpare). A spare that ends while it
 * waits leaves the slot empty: it is not replaced before the next run is ready, so a spare that
 * cannot boot costs one attempt per run, never a loop. A spare booted from an assembly that has
 * changed since (lib/, bundle/, etc/config.properties) is never promoted: it would run the old
 * launcher, framework properties or bundles. A spare that leaves the slot otherwise than promoted
 * is ended with its process group, as a run is: stopped ({@link #discard}), or, once it has ended
 * by itself, what it left running; the next run and the next spare wait for that end
 * ({@link #discardedEnded}), as a run waits for what the last one left, and so do those of the slot
 * that replaces this one with a new configuration.
 *
 * <p>Its lock is taken under the owning {@link ManagedProcess}'s, never the other way round: the
 * readiness poll asks the process (its lock) before it takes this one. A spare boots on a spawning
 * thread and outside this lock ({@link #boot}): a boot walks lib/ and bundle/ and starts a JVM, which
 * a slow disk makes slow, and neither the scheduler (every process's restarts and kills) nor the
 * process's lock (proc:list, proc:stop, which ask this slot under it) may wait for it.
 */
final class SpareSlot {

    private static final long POLL_MILLIS = 100;
    /** How long after the ready line the spare waits for the archive the run records before it boots without. */
    private static final long ARCHIVE_WAIT_MILLIS = 20_000;
    /** A run not ready by then (its launcher stopped waiting long before) gets no spare. */
    private static final long GIVE_UP_MILLIS = 300_000;

    private final ProcessSpec spec;
    private final String name;
    /** The process's output log ({@code proc:log}), which the spare writes to. */
    private final RotatingLog output;
    private final ProcessEnvironment env;
    /** Whether a run is ready; empty once it is no longer the process's current run. */
    private final Function<Process, Optional<Boolean>> readiness;
    private Process spare;
    /** The group the waiting spare leads ({@link ProcessGroup}), or null (no {@code setsid} here). */
    private ProcessGroup spareGroup;
    /** The end of the spares that left the slot without being promoted, and of what they left running. */
    private CompletableFuture<Void> discardedEnded;
    /** The end of the spares the slot of the configuration before discarded, which this one's wait for too. */
    private final CompletableFuture<Void> earlierDiscarded;
    /** How long the end of {@link #earlierDiscarded} may take: the longest stop timeout among those spares. */
    private final long earlierStopMillis;
    private Watch watch;
    /** The boot under way off this lock, or null; a discard calls it off, and its end waits for the boot's. */
    private Boot booting;
    private String assemblyAtBoot;

    /**
     * One slot per configuration of the process: {@code spec} and {@code output} are that configuration's.
     *
     * @param earlierDiscarded the end of the spares the slot of the configuration before discarded
     *                         ({@link #discard}): a start may put this configuration in force before
     *                         they have ended, and its run and spare wait for them as for this slot's
     * @param earlierStopMillis how long their end may take ({@link #stopWaitMillis} of that slot)
     */
    SpareSlot(ProcessSpec spec, RotatingLog output, ProcessEnvironment env,
            Function<Process, Optional<Boolean>> readiness, CompletableFuture<Void> earlierDiscarded,
            long earlierStopMillis) {
        this.spec = spec;
        this.name = spec.name();
        this.output = output;
        this.env = env;
        this.readiness = readiness;
        this.discardedEnded = earlierDiscarded;
        this.earlierDiscarded = earlierDiscarded;
        this.earlierStopMillis = earlierStopMillis;
    }

    /**
     * How long the end of the spares this slot discarded may take, the SIGKILL after their stop timeout
     * included: this configuration's stop timeout, or the longer one of a configuration before while a spare
     * it discarded has not ended. A stop that waits less lets the scheduler, and that SIGKILL with it, go.
     *
     * <p>Without this slot's lock, which a restart's {@link #take} holds while it walks lib/ and bundle/ (for as
     * long as a hung mount makes it): a removal asks this on Config Admin's thread, which waited for that walk,
     * and every other configuration with it. What it reads is final.
     */
    long stopWaitMillis() {
        return earlierDiscarded.isDone() ? spec.stopTimeoutMillis()
                : Math.max(spec.stopTimeoutMillis(), earlierStopMillis);
    }

    /**
     * Polls a new run until it is ready and has written the class-data archive it records (a run
     * that found none usable records one right after its ready line; the spare should map it),
     * then boots the spare. Replaces the poll of an earlier run.
     */
    synchronized void bootWhenReady(Process run) {
        stopWatching();
        Watch next = new Watch(run, env.clock().getAsLong(), !env.spawner().classDataReady(spec));
        next.future = env.scheduler().scheduleWithFixedDelay(() -> poll(next), POLL_MILLIS, POLL_MILLIS,
                TimeUnit.MILLISECONDS);
        watch = next;
    }

    private void poll(Watch polled) {
        Optional<Boolean> ready;
        try {
            // First, outside this lock: it takes the process's. Not for a run that has ended, which gets no spare:
            // its restart may be spawning under that lock, slowly, and this thread, the scheduler's, times every
            // process's restarts and kills. A spawn holds the lock only while the process has no run, never while
            // the polled one lives.
            ready = polled.run.isAlive() ? readiness.apply(polled.run) : Optional.empty();
        } catch (RuntimeException e) {
            env.log().warn("process '{}': no warm spare for this run, its readiness cannot be read: {}", name,
                    e.toString());
            ready = Optional.empty();
        }
        synchronized (this) {
            if (polled != watch) {
                polled.future.cancel(false); // an earlier run's poll ends only itself
                return;
            }
            long now = env.clock().getAsLong();
            if (ready.isEmpty() || spare != null || booting != null) {
                stopWatching();
            } else if (!ready.get()) {
                if (now - polled.since >= GIVE_UP_MILLIS) {
                    env.log().warn("process '{}' is not ready {} s after its start: no warm spare for this run", name,
                            GIVE_UP_MILLIS / 1000);
                    stopWatching();
                }
            } else {
                if (polled.readyAt < 0) {
                    polled.readyAt = now;
                }
                boolean archiveWaited = !polled.archivePending || now - polled.readyAt >= ARCHIVE_WAIT_MILLIS
                        || env.spawner().classDataReady(spec);
                if (archiveWaited && discardedEnded.isDone()) { // never beside what an earlier spare left
                    stopWatching();
                    Boot boot = new Boot();
                    booting = boot;
                    try {
                        env.spawning().execute(() -> boot(boot));
                    } catch (RejectedExecutionException stopped) {
                        // the supervisor stops, its spawning threads gone: this run gets no spare, and nothing
                        // was started that would have to be ended
                        booting = null;
                        env.log().debug("process '{}': no warm spare, the supervisor stops", name);
                    }
                }
            }
        }
    }

    private void stopWatching() {
        if (watch != null) {
            watch.future.cancel(false);
            watch = null;
        }
    }

    /**
     * Boots the spare the poll decided on, unless a discard called it off before it began; a failure is
     * logged (restarts then boot a JVM). On a spawning thread, outside this lock: the spare is put in the
     * slot once booted ({@link #settle}).
     */
    private void boot(Boot boot) {
        synchronized (this) {
            if (boot.calledOff) {
                boot.ended.complete(null); // discarded before it began: nothing booted
                return;
            }
        }
        Instant launched = Instant.now();
        String assembly;
        ChildSpawner.Run run;
        try {
            assembly = env.spawner().assemblyFingerprint();
            run = env.spawner().spawnSpare(spec);
        } catch (IOException | RuntimeException | Error e) {
            // an Error too (out of memory, or of threads): a boot left under way held up every later stop of the
            // process, which waits for the boot's end, and so every restart, which waits for the stop's spares
            env.log().warn("process '{}': cannot start its warm spare (restarts start a new JVM): {}", name,
                    e instanceof Error ? e.toString() : e.getMessage());
            settle(boot, null, null, null);
            return;
        }
        Process booted = run.process();
        ProcessGroup bootedGroup = ProcessGroup.supported() ? ProcessGroup.ledBy(booted.pid(), launched) : null;
        note("warm spare pid " + booted.pid() + " started");
        try {
            OutputPump.start(name, booted.pid(), run.output(), output, env.log());
        } catch (RuntimeException | Error e) {
            // out of memory or of threads: a spare nothing drains would block on its output; ended as a
            // discarded one is, and the next run waits for that end
            note("warm spare pid " + booted.pid() + " started, but its output cannot be copied (" + e + "); ending it");
            env.log().warn("process '{}': the output of its warm spare (pid {}) cannot be copied ({}); ending it",
                    name, booted.pid(), e.toString());
            settle(boot, booted, bootedGroup, null);
            return;
        }
        settle(boot, booted, bootedGroup, assembly);
    }

    /**
     * A boot is over: its spare waits in the slot, unless a discard called the boot off meanwhile, or its
     * output cannot be copied ({@code assembly} null); then it is ended as a discarded spare is, and the
     * discard's end ({@link Boot#ended}), or the slot's, waits for that.
     *
     * @param booted the spare, or null if none could be started
     */
    private synchronized void settle(Boot boot, Process booted, ProcessGroup group, String assembly) {
        if (!boot.calledOff) {
            booting = null;
        }
        if (booted == null) {
            boot.ended.complete(null);
            return;
        }
        if (boot.calledOff || assembly == null) {
            if (boot.calledOff) {
                note("warm spare pid " + booted.pid() + " started as its process stopped or changed; ending it");
            }
            CompletableFuture<Void> ending = stop(booted, group);
            ending.whenComplete((done, failed) -> boot.ended.complete(null));
            if (!boot.calledOff) {
                endedToo(ending);
            }
            return;
        }
        spare = booted;
        spareGroup = group;
        assemblyAtBoot = assembly;
        env.log().info("process '{}': warm spare started, pid {}", name, booted.pid());
        booted.onExit().thenAccept(this::ended);
    }

    /** The waiting spare's pid, or -1. */
    synchronized long pid() {
        return spare == null ? -1 : spare.pid();
    }

    /**
     * The waiting spare, taken out of the slot to become the next run, with its group; null (and
     * the reason in the output log) if it died or its assembly changed since it booted: then
     * {@link #discardedEnded} tells when it, and what it left, have ended.
     */
    synchronized Taken take() {
        Process taken = spare;
        if (taken == null) {
            return null;
        }
        if (!taken.isAlive()) {
            endedToo(TreeEnding.endSpareLeftovers(spec, taken.pid(), spareGroup, env));
            spare = null;
            spareGroup = null;
            note("warm spare pid " + taken.pid() + " ended with " + ExitCodes.describe(taken.exitValue())
                    + "; starting a new JVM");
            return null;
        }
        String now;
        try {
            now = env.spawner().assemblyFingerprint();
        } catch (IOException | RuntimeException e) {
            now = "unknown: " + e;
        }
        if (!now.equals(assemblyAtBoot)) {
            note("warm spare pid " + taken.pid() + " runs an assembly changed since (lib/, bundle/ or"
                    + " etc/config.properties); ending it and starting a new JVM");
            discard();
            return null;
        }
        Taken promoted = new Taken(taken, spareGroup);
        spare = null;
        spareGroup = null; // the run's now
        return promoted;
    }

    /**
     * Ends the waiting spare, if any, as a stop ends a child container's run: SIGTERM to it, to its
     * group once it has ended (what it started and left, re-parented, beyond its descendants), SIGKILL
     * to what is left after the process's stop timeout.
     *
     * @return completes when it and its group have ended, and every spare that left the slot before
     */
    synchronized CompletableFuture<Void> discard() {
        stopWatching();
        if (booting != null) {
            booting.calledOff = true; // the boot ends what it started; the slot's end waits for that
            endedToo(booting.ended);
            booting = null;
        }
        Process discarded = spare;
        ProcessGroup group = spareGroup;
        spare = null;
        spareGroup = null;
        if (discarded != null) {
            end(discarded, group);
        }
        return discardedEnded;
    }

    /**
     * Ends a spare taken out of the slot that could not take over, as {@link #discard} ends a waiting
     * one: it may still run, unpromoted, and what it started and left runs in its group.
     *
     * @return completes when it and its group have ended, and every spare that left the slot before
     */
    synchronized CompletableFuture<Void> discard(Taken taken) {
        end(taken.process(), taken.group());
        return discardedEnded;
    }

    private void end(Process discarded, ProcessGroup group) {
        endedToo(stop(discarded, group));
    }

    /**
     * Stops a spare that leaves the slot unpromoted, as a run is stopped; past the supervisor's stop, whose
     * scheduler refuses to time the SIGKILL after the stop timeout, with SIGKILL at once, its group too. A
     * spare discarded then (by a restart whose walk of a hung lib/ outlasted that stop) got its SIGTERM and no
     * SIGKILL: one that ignores SIGTERM outlived the bundle, and the refusal was thrown on the restart's thread.
     *
     * @return completes once it, and what it left in its group, have ended
     */
    private CompletableFuture<Void> stop(Process leaving, ProcessGroup group) {
        try {
            return TreeEnding.stopSpare(spec, leaving, group, env).endedAfter(
                    leaving.onExit().thenApply(exited -> null), env.scheduler());
        } catch (RejectedExecutionException stopped) {
            env.log().debug("process '{}': warm spare pid {} ended past the supervisor's stop; killed", name,
                    leaving.pid());
            return TreeEnding.killNow(leaving, group, env.scheduler());
        }
    }

    /**
     * Completes once every spare that left the slot without being promoted (stopped, found dead,
     * booted from an old assembly, unable to take over) has ended, and what each left running: the
     * next run waits for it.
     */
    synchronized CompletableFuture<Void> discardedEnded() {
        return discardedEnded;
    }

    /**
     * Whether a spare of the configuration before has not ended yet, or what it left: then
     * {@link #discardedEnded} waits for the old configuration's spare, not for one of this slot's
     * (which boots only once that has ended).
     */
    synchronized boolean earlierConfigurationsSpareEnding() {
        return !earlierDiscarded.isDone();
    }

    private void endedToo(CompletableFuture<Void> ending) {
        // A slot lives as long as its configuration: chaining onto what has ended would keep every
        // spare it ever discarded reachable.
        discardedEnded = discardedEnded.isDone() ? ending : CompletableFuture.allOf(discardedEnded, ending);
    }

    private synchronized void ended(Process ended) {
        if (ended != spare) {
            return; // promoted (it is the run now), discarded, or taken dead (said then)
        }
        ProcessGroup group = spareGroup;
        spare = null;
        spareGroup = null;
        String how = ExitCodes.describe(ended.exitValue());
        note("warm spare pid " + ended.pid() + " ended with " + how);
        env.log().warn("process '{}': its warm spare (pid {}) ended with {} while it waited; the next"
                + " restart starts a new JVM", name, ended.pid(), how);
        endedToo(TreeEnding.endSpareLeftovers(spec, ended.pid(), group, env));
    }

    /** A spare taken out of the slot, and the group it leads (null: no {@code setsid} here). */
    record Taken(Process process, ProcessGroup group) {
    }

    /** A spare's boot under way; {@link #calledOff} and {@link #booting} are guarded by the slot's lock. */
    private static final class Boot {
        /** Completes once a boot called off has ended what it started (at once if it started nothing). */
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        boolean calledOff;
    }

    /** One run's readiness poll. */
    private static final class Watch {
        final Process run;
        final long since;
        final boolean archivePending;
        long readyAt = -1;
        ScheduledFuture<?> future;

        Watch(Process run, long since, boolean archivePending) {
            this.run = run;
            this.since = since;
            this.archivePending = archivePending;
        }
    }

    private void note(String line) {
        try {
            output.line("--- msf: " + Instant.now() + " " + line);
        } catch (IOException e) {
            env.log().warn("process '{}': cannot write to {}: {}", name, output.file(), e.getMessage());
        }
    }
}
