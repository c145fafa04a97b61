package io.msf.timer.internal;

import io.msf.concurrent.DetachedThreads;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one thread that turns a {@link TimerWheel}. While timers keep arriving it sleeps until the
 * next tick; once a tick brings none, until the first tick that has a timer in its bucket (so a
 * container whose timers are few and far between wakes when one is due, or once a turn for
 * timers further away, not a hundred times a second), and for as long as no timer is pending
 * (an idle container costs no wake-ups). Between ticks it runs jobs: sweeps, listings and
 * reconfiguration, which must run here because only this thread may touch the wheel's buckets.
 */
final class TimerWorker {

    static final String THREAD_NAME = "msf-timer";
    /** How long a caller waits for a job: beyond it a task is blocking the thread. */
    static final long ANSWER_TIMEOUT_MILLIS = 5000;
    /**
     * How long a task may have held the thread before {@link #runUnlessHeld} stops waiting for it: far longer than
     * a task that is merely slow or preempted takes, far shorter than a stop can afford to wait per bundle.
     */
    static final long LEAVE_TO_WORKER_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How often {@link #runUnlessHeld} looks whether a task holds the thread while it waits. */
    private static final long HOLD_CHECK_MILLIS = 10;
    /** Pause after a failure of the loop itself, so that a bug cannot spin and flood the log. */
    private static final long PAUSE_AFTER_FAILURE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final TimerWheel wheel;
    private final TimerEvents events;
    private final Queue<Runnable> jobs = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean stopping;

    TimerWorker(TimerWheel wheel, TimerEvents events) {
        this.wheel = wheel;
        this.events = events;
        // Made on whichever thread SCR starts the engine on (a bundle's, when a hot swap or a refresh brings
        // it up) and living as long as the engine: it must keep nothing of that thread.
        this.thread = DetachedThreads.newThread(this::loop, THREAD_NAME);
        wheel.bindWorker(thread);
    }

    void start() {
        thread.start();
    }

    /**
     * Runs {@code job} on the worker thread (at once if called from a task) and returns its result.
     *
     * @throws IllegalStateException if the worker has stopped or does not answer in time
     */
    <T> T call(Function<TimerWheel, T> job) {
        if (Thread.currentThread() == thread) {
            return job.apply(wheel);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        submit(w -> {
            try {
                result.complete(job.apply(w));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(ANSWER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The timer thread " + THREAD_NAME + " did not answer within "
                    + ANSWER_TIMEOUT_MILLIS + " ms: a timer task is blocking it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the timer thread", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A timer job failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Runs {@code job} on the worker thread (at once if called from a task) and waits for it, unless a task holds
     * the thread: once one has run for {@link #LEAVE_TO_WORKER_AFTER_NANOS}, the job is left queued and runs as
     * soon as the task returns. For a job its caller would rather see done but need not wait for, as the sweep of a
     * closed owner: a task that sleeps or waits would otherwise keep every such caller for
     * {@link #ANSWER_TIMEOUT_MILLIS}, and a stop of the container, which closes the timer services of many bundles,
     * past its time limit. A job left to the worker that throws is reported as a failure of the loop, as nobody
     * waits for it.
     *
     * @return null if the job has run, else the task that holds the thread
     * @throws IllegalStateException if the worker has stopped, or does not answer in time though no task held
     *     it that long (many short tasks in a row), or the job threw
     */
    TaskHold runUnlessHeld(Consumer<TimerWheel> job) {
        if (Thread.currentThread() == thread) {
            job.accept(wheel);
            return null;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(w -> {
            try {
                job.accept(w);
                done.complete(null);
            } catch (RuntimeException | Error e) {
                if (!done.completeExceptionally(e)) {
                    throw e; // its caller has stopped waiting: the loop reports it
                }
            }
        });
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_TIMEOUT_MILLIS);
        try {
            while (true) {
                try {
                    done.get(HOLD_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                    return null;
                } catch (TimeoutException e) {
                    TaskHold hold = wheel.heldBy(LEAVE_TO_WORKER_AFTER_NANOS);
                    // cancel() fails if the job completed meanwhile: then its outcome is read at the next get
                    if (hold != null && done.cancel(false)) {
                        return hold;
                    }
                    if (System.nanoTime() - deadline >= 0 && done.cancel(false)) {
                        throw new IllegalStateException("The timer thread " + THREAD_NAME + " did not answer within "
                                + ANSWER_TIMEOUT_MILLIS + " ms: the timers' tasks keep it busy", e);
                    }
                }
            }
        } catch (InterruptedException e) {
            done.cancel(false);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the timer thread", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A timer job failed: " + e.getCause(), e.getCause());
        }
    }

    /** Runs {@code job} on the worker thread at its next pause between ticks; does not wait. */
    void submit(Consumer<TimerWheel> job) {
        if (stopping) {
            throw stopped();
        }
        Runnable queued = () -> job.accept(wheel);
        jobs.add(queued);
        // stop() may have come between the check and the add, after the loop's last look at the
        // queue: then the job would never run and call() would blame a blocking task. The add is a
        // full fence before this read, as the write of stopping is before that last look, so a job
        // still queued once stopping reads true is taken back here; one already taken runs.
        if (stopping && jobs.remove(queued)) {
            throw stopped();
        }
        LockSupport.unpark(thread);
    }

    private static IllegalStateException stopped() {
        return new IllegalStateException("The timer service has stopped");
    }

    /**
     * Stops the thread after its current task, waiting for it at most {@code timeoutMillis}.
     *
     * @return false if the thread was still running a task when the wait ended
     */
    boolean stop(long timeoutMillis) throws InterruptedException {
        stopping = true;
        if (Thread.currentThread() == thread) {
            return true; // called by a task: the loop ends as soon as it returns
        }
        LockSupport.unpark(thread);
        thread.join(timeoutMillis);
        return !thread.isAlive();
    }

    private void loop() {
        while (!stopping) {
            try {
                runJobs();
                wheel.advance();
                runJobs();
                sleep();
            } catch (Throwable e) { // the wheel must outlive its own bugs
                reportFailure(e);
                parkNanos(PAUSE_AFTER_FAILURE_NANOS);
            }
        }
        runJobs(); // callers waiting for a job get their answer rather than a timeout
    }

    /**
     * The report reads the error's message (Felix's log does, for an error from outside java.*), which may
     * throw too: let out of the loop's catch, that would end the thread for good. Told by its class then.
     */
    private void reportFailure(Throwable error) {
        try {
            events.workerFailed(error);
        } catch (Throwable reportFailed) {
            try {
                events.workerFailed(new IllegalStateException("a " + error.getClass().getName()
                        + " whose report threw a " + reportFailed.getClass().getName()));
            } catch (Throwable ignored) {
                // nothing left to tell it with; the thread goes on
            }
        }
    }

    private void runJobs() {
        for (Runnable job; (job = jobs.poll()) != null; ) {
            job.run();
        }
    }

    private void sleep() {
        long nanos = wheel.nanosToNextTick();
        if (!jobs.isEmpty() || stopping) {
            return;
        }
        if (nanos == TimerWheel.IDLE) {
            if (wheel.goIdle()) {
                park(); // schedule(), submit() and stop() unpark
            }
            wheel.leaveIdle();
        } else if (nanos > 0) {
            long untilTimer = wheel.nanosToNextTimer(nanos);
            if (untilTimer > nanos && wheel.goIdle()) {
                parkNanos(untilTimer); // schedule() unparks, as from idle
                wheel.leaveIdle();
            } else {
                parkNanos(nanos);
            }
        }
    }

    /**
     * Parks until unparked, with the interrupt flag cleared first. A park returns at once while the flag is set,
     * so with it left set the loop would spin at full speed for ever. The wheel clears what a task left as the task
     * returns, but a task's {@code toString()} in a listing, or a thread that got hold of this one, may set it too.
     * Nothing here is woken by an interrupt: {@code unpark} is what wakes the worker.
     */
    private void park() {
        Thread.interrupted();
        LockSupport.park(this);
    }

    /** Parks for at most {@code nanos}, with the interrupt flag cleared first, as {@link #park()}. */
    private void parkNanos(long nanos) {
        Thread.interrupted();
        LockSupport.parkNanos(this, nanos);
    }
}
