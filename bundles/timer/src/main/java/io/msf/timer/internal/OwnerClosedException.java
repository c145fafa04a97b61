package io.msf.timer.internal;

/**
 * A timer refused because its owner's timer service is closed (the bundle is stopping, or the timer
 * service has stopped). Its own type so that the refusal of a task's own next timer, as its bundle
 * stops, is told from a failure of the task (see {@link TimerEngine#taskFailed}).
 */
final class OwnerClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String owner;

    OwnerClosedException(String owner) {
        super("The timer service of " + owner + " is closed: the bundle is stopping or the timer service has stopped");
        this.owner = owner;
    }

    String owner() {
        return owner;
    }
}
