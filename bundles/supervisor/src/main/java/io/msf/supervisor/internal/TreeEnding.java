package io.msf.supervisor.internal;

import io.msf.supervisor.api.ProcessType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The end of a run's processes: its tree as listed while it lived and, for a run in a group of
 * its own, every member of that group, which also holds what was re-parented or started since the
 * tree was listed. SIGTERM, SIGKILL to whatever still runs after the stop timeout, and the end once
 * none runs (a zombie counts as ended: a first process that never reaps keeps one for good).
 */
final class TreeEnding {

    /** How often {@link #ended} checks whether the processes have ended. */
    private static final long POLL_MILLIS = 50;

    private final List<ProcessHandle> tree;
    /** The run's group, or null: no {@code setsid} here. */
    private final ProcessGroup group;
    /** A child container's stop: its group gets SIGTERM only once the container has ended. */
    private final boolean groupAfterRun;
    /**
     * The SIGKILL to come, called off once none runs: left to fire, it would look for the group's
     * members again, long after they ended, under an id that may be another group's by then.
     */
    private volatile ScheduledFuture<?> killTimer;

    TreeEnding(List<ProcessHandle> tree, ProcessGroup group) {
        this(tree, group, false);
    }

    private TreeEnding(List<ProcessHandle> tree, ProcessGroup group, boolean groupAfterRun) {
        this.tree = List.copyOf(tree);
        this.group = group;
        this.groupAfterRun = groupAfterRun;
    }

    /**
     * A stop of {@code run}, which leads {@code group} (or null): SIGTERM to its tree and to its
     * group, which also holds what the run started and left, re-parented, beyond its descendants;
     * SIGKILL after the stop timeout. A child container gets SIGTERM at its root only, and its group
     * once it has ended ({@link #endedAfter}): it stops its own children in order, and what it leaves
     * running gets the signal then.
     *
     * @return the ending, whose {@link #endedAfter} the stop waits for
     */
    static TreeEnding stop(ProcessSpec spec, Process run, ProcessGroup group, ProcessEnvironment env) {
        return stop(spec, run, group, env, "process '{}' (pid {}) did not stop within {} ms of SIGTERM; killing what is"
                + " left of it");
    }

    /**
     * A stop of a warm spare that did not become the run ({@link SpareSlot}), as {@link #stop} ends a
     * run: the log names it the spare, not the process, whose pid is another.
     */
    static TreeEnding stopSpare(ProcessSpec spec, Process spare, ProcessGroup group, ProcessEnvironment env) {
        return stop(spec, spare, group, env, "process '{}': its warm spare (pid {}) did not stop within {} ms of"
                + " SIGTERM; killing what is left of it");
    }

    /** @param beforeKill the warning before the SIGKILL, of the process's name, the pid and the stop timeout */
    private static TreeEnding stop(ProcessSpec spec, Process run, ProcessGroup group, ProcessEnvironment env,
            String beforeKill) {
        boolean command = spec.type() == ProcessType.COMMAND;
        TreeEnding ending = new TreeEnding(ProcessTree.terminate(run.toHandle(), command), group, !command);
        if (command) {
            ending.terminateGroup();
        }
        ending.killAfter(spec.stopTimeoutMillis(), left -> env.log().warn(beforeKill, spec.name(), run.pid(),
                spec.stopTimeoutMillis()), env.scheduler());
        return ending;
    }

    /**
     * A command that ended by itself may leave processes it started running (a background job, a
     * daemon it forked): SIGTERM to them, SIGKILL to what is left after the stop timeout, so that no
     * run leaves anything behind for the next.
     *
     * @param group the group the run {@code pid} led, or null
     * @return completes once none of them runs (at once if it left none)
     */
    static CompletableFuture<Void> endLeftovers(ProcessSpec spec, long pid, ProcessGroup group, ProcessEnvironment env) {
        return endLeftovers(spec, pid, group, env, "process '{}' (pid {}) ended and left {} process(es) it started;"
                + " ending them", "process '{}': {} process(es) pid {} left did not end within {} ms of SIGTERM; killing"
                + " them");
    }

    /**
     * What a warm spare that ended by itself while it waited left running, ended as
     * {@link #endLeftovers} ends a run's: the log names the spare.
     */
    static CompletableFuture<Void> endSpareLeftovers(ProcessSpec spec, long pid, ProcessGroup group,
            ProcessEnvironment env) {
        return endLeftovers(spec, pid, group, env, "process '{}': its warm spare (pid {}) ended and left {}"
                + " process(es) it started; ending them", "process '{}': {} process(es) its warm spare (pid {}) left"
                + " did not end within {} ms of SIGTERM; killing them");
    }

    /**
     * A run spawned but never watched (its output cannot be copied), and what it started: SIGTERM to
     * its tree and its group, SIGKILL to what is left after the stop timeout.
     *
     * @param group the group {@code run} leads, or null
     * @return completes once none of them runs
     */
    static CompletableFuture<Void> endUnwatched(ProcessSpec spec, Process run, ProcessGroup group,
            ProcessEnvironment env) {
        return new TreeEnding(ProcessTree.tree(run.toHandle()), group).endWhatRuns(spec.stopTimeoutMillis(),
                count -> env.log().info("process '{}': ending pid {}, which cannot be watched, and what it started"
                        + " ({} process(es))", spec.name(), run.pid(), count),
                left -> env.log().warn("process '{}': {} process(es) of pid {}, which could not be watched, did not end"
                        + " within {} ms of SIGTERM; killing them", spec.name(), left, run.pid(),
                        spec.stopTimeoutMillis()), env.scheduler());
    }

    /**
     * A run spawned for a process already removed, maybe past the supervisor's stop: SIGKILL now to its
     * tree and its group. It never was the run, so it has no clean stop to be given; and once the
     * supervisor has stopped, its scheduler would time no SIGKILL after a SIGTERM, and a run that ignores
     * SIGTERM would outlive the bundle.
     *
     * @param group the group {@code run} leads, or null
     * @return completes once none of them runs; once the scheduler is shut down, once {@code run} has
     *         ended (the JDK's reaper tells, no poll is needed; what it started had the SIGKILL too)
     */
    static CompletableFuture<Void> killNow(Process run, ProcessGroup group, ScheduledExecutorService scheduler) {
        TreeEnding ending = new TreeEnding(ProcessTree.tree(run.toHandle()), group);
        ending.kill();
        try {
            return ending.ended(scheduler);
        } catch (RejectedExecutionException supervisorStopped) {
            return run.onExit().thenApply(ended -> null);
        }
    }

    /**
     * @param ending     the line before the SIGTERM, of the process's name, the pid and how many are left
     * @param beforeKill the warning before the SIGKILL, of the name, how many, the pid and the stop timeout
     */
    private static CompletableFuture<Void> endLeftovers(ProcessSpec spec, long pid, ProcessGroup group,
            ProcessEnvironment env, String ending, String beforeKill) {
        if (group == null) {
            return CompletableFuture.completedFuture(null);
        }
        return new TreeEnding(List.of(), group).endWhatRuns(spec.stopTimeoutMillis(),
                count -> env.log().info(ending, spec.name(), pid, count),
                left -> env.log().warn(beforeKill, spec.name(), left, pid, spec.stopTimeoutMillis()), env.scheduler());
    }

    /**
     * Ends what of the processes still runs: SIGTERM to the tree's and the group's, SIGKILL to what
     * is left after {@code timeoutMillis}.
     *
     * @param beforeTerm told how many processes still run, before the SIGTERM (the log says what is
     *                   done before it is); not called if none does
     * @param beforeKill told how many are left, before the SIGKILL
     * @return completes once none of them runs; at once if none did
     */
    CompletableFuture<Void> endWhatRuns(long timeoutMillis, IntConsumer beforeTerm, IntConsumer beforeKill,
            ScheduledExecutorService scheduler) {
        int count = running().size();
        if (count == 0) {
            return CompletableFuture.completedFuture(null);
        }
        beforeTerm.accept(count);
        tree.forEach(ProcessHandle::destroy);
        terminateGroup();
        try {
            killAfter(timeoutMillis, beforeKill, scheduler);
            return ended(scheduler);
        } catch (RejectedExecutionException supervisorStopped) {
            // Past the supervisor's stop (a run of a removed process that ended by itself before the removal's
            // stop had its lock), nothing would time the SIGKILL: what ignores SIGTERM outlived the bundle, and the
            // refusal, thrown on the JDK's reaper thread, was swallowed with the rest of the run's end. SIGKILL now,
            // and no poll of its end: nothing is started after it any more.
            kill();
            return CompletableFuture.completedFuture(null);
        }
    }

    /** SIGTERM to the group's members; the tree's are the caller's (a container takes it at its root only). */
    void terminateGroup() {
        if (group != null) {
            group.members().forEach(ProcessHandle::destroy);
        }
    }

    /**
     * SIGKILL, after {@code timeoutMillis}, to whatever is left, having told {@code beforeKill} how
     * many processes that is; nothing if none is left.
     */
    void killAfter(long timeoutMillis, IntConsumer beforeKill, ScheduledExecutorService scheduler) {
        killTimer = scheduler.schedule(() -> {
            int left = running().size();
            if (left > 0) {
                beforeKill.accept(left);
                kill();
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** SIGKILL to whatever is left. */
    void kill() {
        List<ProcessHandle> left = running();
        left.addAll(tree); // ProcessTree.kill also reaches what their live members started since
        ProcessTree.kill(left);
    }

    /**
     * {@link #ended} from the end of the run being stopped on, when a child container's group gets
     * its SIGTERM ({@link #stop}).
     */
    CompletableFuture<Void> endedAfter(CompletableFuture<Void> runEnded, ScheduledExecutorService scheduler) {
        return runEnded.thenCompose(run -> {
            if (groupAfterRun) {
                terminateGroup();
            }
            return ended(scheduler);
        });
    }

    /**
     * Completes once none of the processes runs: checked at once, on the calling thread (where a
     * run's end is handled, so that a tree that ended with it costs no wait), then every
     * {@link #POLL_MILLIS}.
     */
    CompletableFuture<Void> ended(ScheduledExecutorService scheduler) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        check(ended, scheduler);
        return ended;
    }

    /** The processes still running: of the tree, and the group's members now. */
    List<ProcessHandle> running() {
        List<ProcessHandle> running = new ArrayList<>();
        tree.stream().filter(ProcessTree::running).forEach(running::add);
        if (group != null) {
            group.members().stream().filter(member -> !running.contains(member)).forEach(running::add);
        }
        return running;
    }

    private void check(CompletableFuture<Void> ended, ScheduledExecutorService scheduler) {
        if (running().isEmpty()) {
            callOffKill();
            ended.complete(null);
            return;
        }
        scheduler.schedule(() -> check(ended, scheduler), POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void callOffKill() {
        ScheduledFuture<?> timer = killTimer;
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
