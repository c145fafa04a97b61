package io.msf.timer.api;

/**
 * A timer refused because the caller's timer service is closed: its bundle is stopping, or the timer
 * service has stopped. Its own type so that a caller can tell it from the other refusal of
 * {@link TimerService#schedule}, the container's maxPending reached, which passes: a task that
 * schedules its own next run as its bundle stops is no failure, and a caller that rate-limits its
 * warnings with a timer keeps counting while timers are short but stops once its timers are gone.
 */
public class TimerClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String owner;

    /** @param owner the bundle whose timer service is closed, as the timer names it */
    public TimerClosedException(String owner) {
        super("The timer service of " + owner + " is closed: the bundle is stopping or the timer service has stopped");
        this.owner = owner;
    }

    /** The bundle whose timer service is closed, as the timer names it (its symbolic name). */
    public String owner() {
        return owner;
    }
}
