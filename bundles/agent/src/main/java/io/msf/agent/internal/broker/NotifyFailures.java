package io.msf.agent.internal.broker;

import java.util.concurrent.TimeUnit;

/**
 * Tells the log of the failures of one handler's NOTIFYs without flooding it: a handler that throws
 * on every notification would otherwise write a WARN line per message. The first failure is logged
 * with its stack trace; the ones after it are counted, and once per {@link #INTERVAL_MILLIS} one line
 * tells how many there were and the last of them. An interval without failures ends the episode: the
 * next failure is logged in full again. A requester learns of a failed REQUEST from its answer, so
 * only notifications, which nobody answers, come here.
 */
final class NotifyFailures {

    static final long INTERVAL_MILLIS = TimeUnit.MINUTES.toMillis(1);

    private final HandlerPeer handler;
    /** Guarded by this: whether a failure was logged in full and the interval after it is running. */
    private boolean reporting;
    private long count;
    private String lastTo;
    private int lastCommand;
    private String lastDetail;

    NotifyFailures(HandlerPeer handler) {
        this.handler = handler;
    }

    /** A NOTIFY to {@code subject} (empty: by id) with {@code command} failed with {@code failure}. */
    synchronized void failed(String subject, int command, Throwable failure) {
        if (reporting) {
            count++;
            lastTo = to(subject);
            lastCommand = command;
            lastDetail = Failures.detail(failure);
            return;
        }
        handler.broker.log.warn("agent handler {} of {} failed on a NOTIFY to {} with command {}; its next failures"
                + " are counted and told once a minute", handler.label(), handler.origin, to(subject),
                Integer.toUnsignedString(command), Failures.unwrap(failure));
        reporting = true;
        schedule();
    }

    /** The interval ended: tells what failed in it, or ends the episode if nothing did. */
    synchronized void intervalEnded() {
        if (count == 0) {
            reporting = false;
            return;
        }
        handler.broker.log.warn("agent handler {} of {}: {} more NOTIFYs failed in the last minute, the last to {}"
                + " with command {}: {}", handler.label(), handler.origin, count, lastTo,
                Integer.toUnsignedString(lastCommand), lastDetail);
        count = 0;
        schedule();
    }

    private void schedule() {
        try {
            handler.broker.schedule(this::intervalEnded, INTERVAL_MILLIS);
        } catch (IllegalStateException stopped) {
            // The timers are gone, so the agent is stopping: nothing more to count towards.
            reporting = false;
            count = 0;
        }
    }

    private String to(String subject) {
        return subject.isEmpty() ? "its id #" + Integer.toUnsignedString(handler.id) : "'" + subject + "'";
    }
}
