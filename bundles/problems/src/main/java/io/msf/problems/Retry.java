package io.msf.problems;

import io.msf.concurrent.DetachedThreads;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Tries again, in the background, what could not be opened as configured (a port another process held,
 * a socket path in the way): after {@value #FIRST_MILLIS} ms, then each time twice as long, up to every
 * {@value #MAX_MILLIS} ms, for as long as the attempt says it is still wanted. So it is served soon after
 * it can be, without a configuration change, and neither Config Admin's thread nor an io loop waits for it.
 *
 * <p>A configuration change {@link #restart starts again} from the first delay with what it asks for;
 * {@link #close()} ends it. The attempt runs outside this object's lock, so that {@link #close()} and
 * {@link #restart} never wait for a bind; one of an earlier round schedules no other.
 *
 * <p>Only a scheduler closed for good ({@link SchedulerClosedException}) ends the attempts (or an attempt
 * that throws an {@link Error}, below). One that refuses for now (a timer at its bound of pending timers)
 * does not: that attempt runs on a thread of the retry's own instead, started then and ended a while after,
 * and the one after it is asked of the scheduler again.
 * Else one moment of pressure on the timer would leave the problem unserved until the configuration changes.
 *
 * <p>An attempt that throws is told to its own callback ({@code thrown}), with what it threw. A
 * {@link RuntimeException} (a fault of the attempt's, not of what it tries) counts as a failed attempt: the
 * next follows as for one that said it is still wanted, so one fault leaves nothing unserved for good. An
 * {@link Error} (a class gone with an updated bundle, memory short) ends the attempts: one after it would
 * likely meet it again. Either way it is told: run on an executor, it would otherwise end the attempts
 * unseen, kept in a future no one reads.
 */
public final class Retry {

    public static final long FIRST_MILLIS = 1_000;
    public static final long MAX_MILLIS = 30_000;
    /** The own thread's name is this and the owner's. */
    static final String THREAD_PREFIX = "msf-retry-";
    static final String FOLLOWS = "the next attempt follows as after a failed one";
    static final String NONE_FOLLOWS = "no attempt follows";
    /** How long a retry thread stays after its last task (the next attempt is due 1 to 30 s later). */
    private static final long THREAD_KEEP_ALIVE_SECONDS = 60;

    /** Where the attempts run: a thread that may block for a bind (a timer's, not an io loop's). */
    @FunctionalInterface
    public interface Scheduler {

        /**
         * Runs {@code task} once after {@code delayMillis}.
         *
         * @return what cancels it
         * @throws SchedulerClosedException if it never will again (it is closed: its owner is stopping), with
         *     why; no attempt follows
         * @throws IllegalStateException if it cannot for now (full), with why; the attempt runs on the retry's
         *     own thread instead
         */
        Runnable schedule(Runnable task, long delayMillis);
    }

    /**
     * A {@link Scheduler}'s refusal for good, which ends the attempts. A type of its own, which a scheduler
     * throws for its closed service (a timer's {@code TimerClosedException}, a shut-down executor's
     * {@code RejectedExecutionException}), because its other refusals pass (a timer at its maxPending).
     */
    public static final class SchedulerClosedException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        public SchedulerClosedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String owner;
    private final Scheduler scheduler;
    /** Tries once; says whether something is still to be tried again. */
    private final BooleanSupplier attempt;
    /** Told why an attempt could not be scheduled, and what happens instead. */
    private final Consumer<String> unscheduled;
    /** Told of an attempt that threw, and whether another follows. */
    private final Thrown thrown;
    private Runnable cancelNext;
    /** Runs an attempt the scheduler refused for now; null until the first such refusal. */
    private ScheduledThreadPoolExecutor ownThread;
    private long delayMillis;
    private long round;
    private boolean closed;

    /** What is told of an attempt that threw: a fault to log, with its stack trace. */
    @FunctionalInterface
    public interface Thrown {

        /**
         * @param problem what the attempt threw
         * @param followed what happens next: {@code "the next attempt follows as after a failed one"}, or
         *     {@code "no attempt follows"}
         */
        void attemptThrew(Throwable problem, String followed);
    }

    /**
     * {@code owner}: what is tried again (a bundle, an endpoint's pid), as the own thread's name tells;
     * {@code thrown}: told of an attempt that threw (see the class's doc).
     */
    public Retry(String owner, Scheduler scheduler, BooleanSupplier attempt, Consumer<String> unscheduled,
            Thrown thrown) {
        this.owner = owner;
        this.scheduler = scheduler;
        this.attempt = attempt;
        this.unscheduled = unscheduled;
        this.thrown = thrown;
    }

    /** After what is wanted was (re)applied: tries again from the first delay if {@code needed}, else not at all. */
    public synchronized void restart(boolean needed) {
        cancel();
        round++;
        delayMillis = FIRST_MILLIS;
        if (!closed && needed) {
            schedule(round);
        }
    }

    /** Stops trying; an attempt under way schedules no other. */
    public synchronized void close() {
        closed = true;
        cancel();
        if (ownThread != null) {
            ownThread.shutdown();
        }
    }

    private void attempt(long itsRound) {
        synchronized (this) {
            if (closed || itsRound != round) {
                return;
            }
        }
        boolean again;
        try {
            again = attempt.getAsBoolean();
        } catch (RuntimeException e) {
            thrown.attemptThrew(e, FOLLOWS);
            again = true;
        } catch (Error e) {
            thrown.attemptThrew(e, NONE_FOLLOWS);
            throw e;
        }
        synchronized (this) {
            if (again && !closed && itsRound == round) {
                delayMillis = Math.min(delayMillis * 2, MAX_MILLIS);
                schedule(itsRound);
            }
        }
    }

    /**
     * Asks the scheduler for the next attempt; one it refuses for now runs on the own thread, which refuses
     * nothing before {@link #close()} (its queue has no bound), so a refusal that passes never ends the retry.
     */
    private void schedule(long itsRound) {
        Runnable next = () -> attempt(itsRound);
        try {
            cancelNext = scheduler.schedule(next, delayMillis);
        } catch (SchedulerClosedException e) {
            cancelNext = null;
            unscheduled.accept(e.getMessage() + "; no attempt follows");
        } catch (IllegalStateException e) {
            ScheduledFuture<?> timed = ownThread().schedule(next, delayMillis, TimeUnit.MILLISECONDS);
            cancelNext = () -> timed.cancel(false);
            unscheduled.accept(e.getMessage() + "; the attempt runs on " + THREAD_PREFIX + owner + " instead, in "
                    + delayMillis + " ms, and the next is asked of the scheduler again");
        }
    }

    private ScheduledThreadPoolExecutor ownThread() {
        if (ownThread == null) {
            ownThread = retryThread(THREAD_PREFIX + owner);
        }
        return ownThread;
    }

    /**
     * A {@link Scheduler} on {@code executor} (a {@link #retryThread} its owner shuts down as it stops): the
     * executor's refusal is one for good, its message {@code stopping} and the executor's.
     */
    public static Scheduler on(ScheduledExecutorService executor, String stopping) {
        return (task, delayMillis) -> {
            try {
                ScheduledFuture<?> timed = executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
                return () -> timed.cancel(false);
            } catch (RejectedExecutionException e) {
                throw new SchedulerClosedException(stopping + " (" + e.getMessage() + ")", e);
            }
        };
    }

    /**
     * One daemon thread named {@code name}, started for the first task due and ended a while after the
     * last: a thread that may block for a bind. Its queue has no bound, so it refuses a task only once shut
     * down (with its owner): never an attempt still wanted, which no other bundle's tasks can crowd out.
     * The thread is made on whichever thread schedules the first task, and lives for as long as another
     * process holds the port: it is {@link DetachedThreads detached}, keeping nothing of that thread.
     */
    public static ScheduledThreadPoolExecutor retryThread(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, DetachedThreads.named(name));
        executor.setKeepAliveTime(THREAD_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    private void cancel() {
        if (cancelNext != null) {
            cancelNext.run();
            cancelNext = null;
        }
    }
}
