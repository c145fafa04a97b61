package io.msf.supervisor.internal;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs an operator's command on one process (proc:start, proc:stop, proc:restart) under the process's lock,
 * which a spawn holds for as long as it lasts: the console waited for a hung spawn (a hung mount under the
 * command or the JDK) with no word and no end. The command waits for the lock a bounded time and, if it has not
 * got it by then, is dropped (nothing is done) and refused, the message saying what holds the lock since when.
 * A start that got the lock and whose own spawn lasts longer goes on in the background, and the refusal says so;
 * a stop that got it is waited for.
 */
final class OperatorCommand {

    /** The process's lock, the one its spawns hold. */
    private final Object lock;
    private final Executor spawning;
    /** The process's name, read without its lock. */
    private final Supplier<String> name;
    /** When the spawn under way began, or null; read without the lock. */
    private final Supplier<Instant> spawningSince;

    OperatorCommand(Object lock, Executor spawning, Supplier<String> name, Supplier<Instant> spawningSince) {
        this.lock = lock;
        this.spawning = spawning;
        this.name = name;
        this.spawningSince = spawningSince;
    }

    /**
     * @param done          what the command does, for its messages: "started", "stopped", "restarted"
     * @param waitMillis    how long the command waits for the lock
     * @param spawnsNothing whether the command is over as soon as it has the lock (a stop signals, and times
     *     its SIGKILL): one that got the lock just as the wait ended was refused as going on in the background,
     *     though it was done, and proc:restart then started nothing
     * @throws IllegalStateException if the lock was not got in time (nothing was done), if a start goes on in
     *     the background, or the command's own refusal
     */
    <T> T run(String done, long waitMillis, Supplier<T> command, boolean spawnsNothing) {
        AtomicBoolean taken = new AtomicBoolean();
        CompletableFuture<T> result;
        try {
            result = CompletableFuture.supplyAsync(() -> {
                synchronized (lock) {
                    return taken.compareAndSet(false, true) ? command.get() : null;
                }
            }, spawning);
        } catch (RejectedExecutionException supervisorStopped) {
            throw new IllegalStateException("process '" + name.get() + "' was not " + done + ": the supervisor stops",
                    supervisorStopped);
        }
        try {
            try {
                return result.get(waitMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                Instant since = spawningSince.get();
                if (taken.compareAndSet(false, true)) {
                    throw new IllegalStateException("process '" + name.get() + "' " + (since == null
                            ? "is busy with another change for more than " + waitMillis + " ms"
                            : "is being spawned since " + since + " (a hung mount under its command or JDK?)")
                            + ", so it was not " + done + "; try again (proc:list shows it meanwhile)", e);
                }
                if (spawnsNothing) {
                    return result.get(); // it has the lock, and holds it only for as long as its signals take
                }
                throw new IllegalStateException("process '" + name.get() + "' is being " + done + (since == null ? ""
                        : ", spawned since " + since) + ", for more than " + waitMillis + " ms: that goes on in the"
                        + " background, and proc:list shows how it ends", e);
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException refused) {
                throw refused; // a refusal of the command itself (still stopping)
            }
            throw new IllegalStateException("process '" + name.get() + "': " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            taken.set(true); // dropped if it has not begun
            throw new IllegalStateException("interrupted while process '" + name.get() + "' is " + done, e);
        }
    }
}
