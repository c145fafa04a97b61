package io.msf.supervisor.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides what happens when a supervised process ends: restart after a backoff delay, stay down
 * by policy, or give up after a crash loop. It holds no clock and no timer: the caller passes
 * the time (monotonic milliseconds) of each start and end, which keeps it a plain, testable state
 * machine.
 *
 * <p>The first restart follows at once: a crash of a process that ran fine is most likely a
 * one-off, and every millisecond of delay is downtime (the target is a child container back
 * within a second of its death). Each further restart waits: {@code initialMillis}, doubling up
 * to {@code maxMillis}. A run that lasted at least {@code maxMillis} counts as healthy: its
 * failure is met with an immediate restart again. A failure when {@code maxRestarts} restarts already
 * happened within the last {@code windowMillis} is a crash loop: no more restarts until
 * {@link #reset}.
 */
final class RestartTracker {

    /** What to do with a process that ended. */
    enum Action {
        RESTART,
        STAY_DOWN,
        CRASH_LOOP
    }

    /**
     * @param action          what to do
     * @param delayMillis     wait this long before the restart (RESTART only)
     * @param restartsInWindow restarts counted within the window, this one included for RESTART
     */
    record Decision(Action action, long delayMillis, int restartsInWindow) {
    }

    private final RestartRules rules;
    private final Deque<Long> restartTimes = new ArrayDeque<>();
    private long nextDelay;
    private long startedAt;
    private int restarts;

    RestartTracker(RestartRules rules) {
        this.rules = rules;
    }

    /** The process was spawned at {@code now}. */
    void started(long now) {
        startedAt = now;
    }

    /** The process ended at {@code now} with {@code exitCode} (not on request). */
    Decision ended(int exitCode, long now) {
        if (!rules.policy().restarts(exitCode)) {
            return new Decision(Action.STAY_DOWN, 0, restartTimes.size());
        }
        if (now - startedAt >= rules.maxMillis()) {
            nextDelay = 0;
        }
        while (!restartTimes.isEmpty() && now - restartTimes.peekFirst() >= rules.windowMillis()) {
            restartTimes.removeFirst();
        }
        if (rules.maxRestarts() > 0 && restartTimes.size() >= rules.maxRestarts()) {
            return new Decision(Action.CRASH_LOOP, 0, restartTimes.size());
        }
        long delay = nextDelay;
        nextDelay = delay == 0 ? rules.initialMillis() : Math.min(rules.maxMillis(), delay * 2);
        restartTimes.addLast(now);
        restarts++;
        return new Decision(Action.RESTART, delay, restartTimes.size());
    }

    /** A start by hand: forget the crash loop and the grown delay (the restart count stays). */
    void reset() {
        restartTimes.clear();
        nextDelay = 0;
    }

    /** Restarts decided since this tracker was made. */
    int restarts() {
        return restarts;
    }
}
