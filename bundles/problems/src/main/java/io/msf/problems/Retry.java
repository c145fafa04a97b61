package io.msf.problems;

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
 */
public final class Retry {

    public static final long FIRST_MILLIS = 1_000;
    public static final long MAX_MILLIS = 30_000;

    /** Where the attempts run: a thread that may block for a bind (a timer's, not an io loop's). */
    @FunctionalInterface
    public interface Scheduler {

        /**
         * Runs {@code task} once after {@code delayMillis}.
         *
         * @return what cancels it
         * @throws IllegalStateException if it cannot (the scheduler is stopping, or full), with why
         */
        Runnable schedule(Runnable task, long delayMillis);
    }

    private final Scheduler scheduler;
    /** Tries once; says whether something is still to be tried again. */
    private final BooleanSupplier attempt;
    /** Told why an attempt could not be scheduled. */
    private final Consumer<String> unscheduled;
    private Runnable cancelNext;
    private long delayMillis;
    private long round;
    private boolean closed;

    public Retry(Scheduler scheduler, BooleanSupplier attempt, Consumer<String> unscheduled) {
        this.scheduler = scheduler;
        this.attempt = attempt;
        this.unscheduled = unscheduled;
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
    }

    private void attempt(long itsRound) {
        synchronized (this) {
            if (closed || itsRound != round) {
                return;
            }
        }
        boolean again = attempt.getAsBoolean();
        synchronized (this) {
            if (again && !closed && itsRound == round) {
                delayMillis = Math.min(delayMillis * 2, MAX_MILLIS);
                schedule(itsRound);
            }
        }
    }

    private void schedule(long itsRound) {
        try {
            cancelNext = scheduler.schedule(() -> attempt(itsRound), delayMillis);
        } catch (IllegalStateException e) {
            cancelNext = null;
            unscheduled.accept(e.getMessage());
        }
    }

    private void cancel() {
        if (cancelNext != null) {
            cancelNext.run();
            cancelNext = null;
        }
    }
}
