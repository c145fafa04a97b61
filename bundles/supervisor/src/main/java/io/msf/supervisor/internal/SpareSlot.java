package io.msf.supervisor.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The warm spare of one child container (key {@code warmSpare}): at most one booted JVM of it,
 * waiting for the line that promotes it (io.msf.launcher.WarmSpare). A spare that ends while it
 * waits leaves the slot empty: it is not replaced before the next run is ready, so a spare that
 * cannot boot costs one attempt per run, never a loop.
 */
final class SpareSlot {

    private final String name;
    private final ProcessEnvironment env;
    /** Lines for the process's output log ({@code proc:log}). */
    private final Consumer<String> output;
    private Process spare;

    SpareSlot(String name, ProcessEnvironment env, Consumer<String> output) {
        this.name = name;
        this.env = env;
        this.output = output;
    }

    /** Boots a spare unless one waits already; a failure is logged (restarts then boot a JVM). */
    synchronized void boot(ProcessSpec spec, RotatingLog log) {
        if (spare != null) {
            return;
        }
        Process booted;
        try {
            booted = env.spawner().spawnSpare(spec);
        } catch (IOException | RuntimeException e) {
            env.log().warn("process '{}': cannot start its warm spare (restarts start a new JVM): {}", name,
                    e.getMessage());
            return;
        }
        spare = booted;
        output.accept("--- msf: " + Instant.now() + " warm spare pid " + booted.pid() + " started");
        OutputPump.start(name, booted.pid(), booted.getInputStream(), log, env.log());
        env.log().info("process '{}': warm spare started, pid {}", name, booted.pid());
        booted.onExit().thenAccept(this::ended);
    }

    synchronized boolean holdsOne() {
        return spare != null;
    }

    /** The waiting spare's pid, or -1. */
    synchronized long pid() {
        return spare == null ? -1 : spare.pid();
    }

    /** The waiting spare, taken out of the slot, or null if none is alive. */
    synchronized Process take() {
        Process taken = spare;
        spare = null;
        return taken != null && taken.isAlive() ? taken : null;
    }

    /**
     * Ends the waiting spare, if any: SIGTERM, then SIGKILL after {@code stopTimeoutMillis}.
     *
     * @return completes when it has ended
     */
    synchronized CompletableFuture<Void> discard(long stopTimeoutMillis) {
        Process discarded = spare;
        spare = null;
        if (discarded == null) {
            return CompletableFuture.completedFuture(null);
        }
        List<ProcessHandle> tree = ProcessTree.terminate(discarded.toHandle(), false);
        env.scheduler().schedule(() -> ProcessTree.kill(tree), stopTimeoutMillis, TimeUnit.MILLISECONDS);
        return discarded.onExit().thenApply(ended -> null);
    }

    private synchronized void ended(Process ended) {
        if (ended != spare) {
            return; // promoted (it is the run now) or discarded
        }
        spare = null;
        output.accept("--- msf: " + Instant.now() + " warm spare pid " + ended.pid() + " ended with exit code "
                + ended.exitValue());
        env.log().warn("process '{}': its warm spare (pid {}) ended with exit code {} while it waited; the next"
                + " restart starts a new JVM", name, ended.pid(), ended.exitValue());
    }
}
