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
 * to {@code maxMillis}. A run that was up for at least {@code maxMillis} counts as healthy: its
 * failure is met with an immediate restart again. A run of a type that reports ready (a child
 * container's ready line) is up from its ready time, not its start: one that hangs while booting
 * and then dies is a failure to start, however long it hung, and keeps backing off. A failure
 * when {@code maxRestarts} restarts already happened within the last {@code windowMillis} is a
 * crash loop: no more restarts until {@link #reset}. So is one more failed start after
 * {@code maxRestarts} restarts in a row of runs that never became ready, whatever their spacing: a
 * child that hangs in its boot for longer than the window divided by the limit (as one stopped by
 * its ready timeout does) would otherwise never have enough restarts within the window.
 */
final class RestartTracker {

    /** What to do with a process that ended. */
    enum Action {
        RESTART,
        STAY_DOWN,
        CRASH_LOOP
    }

    /** The limit a crash loop reached. */
    enum Limit {
        /** {@code maxRestarts} restarts within the last {@code windowMillis}. */
        RESTARTS_IN_WINDOW,
        /** {@code maxRestarts} restarts in a row after runs that never became ready, whatever their spacing. */
        FAILED_STARTS_IN_A_ROW
    }

    /**
     * @param action           what to do
     * @param delayMillis      wait this long before the restart (RESTART only)
     * @param restartsInWindow restarts counted within the window, this one included for RESTART; at most
     *                         the restart times kept, where it stops counting
     * @param limit            the limit reached (CRASH_LOOP only, else null)
     * @param counted          the restarts that reached it (CRASH_LOOP only, else 0)
     */
    record Decision(Action action, long delayMillis, int restartsInWindow, Limit limit, int counted) {

        /** {@link #restartsInWindow} as a log line tells it: {@code 1024+} once it has stopped counting. */
        String restartsInWindowShown() {
            return restartsInWindow >= TIMES_KEPT_WITHOUT_LIMIT ? TIMES_KEPT_WITHOUT_LIMIT + "+"
                    : String.valueOf(restartsInWindow);
        }
    }

    /**
     * The restart times kept when the crash-loop limit is lower (0 = none): only the last
     * {@code maxRestarts} decide a crash loop, and a process restarted as fast as it can be spawned
     * (backoff 0, no limit) would otherwise hold one per restart for the whole window, up to a day.
     */
    static final int TIMES_KEPT_WITHOUT_LIMIT = 1024;

    private final RestartRules rules;
    private final Deque<Long> restartTimes = new ArrayDeque<>();
    private long nextDelay;
    /** When the current run came up, or -1 while it has not (yet) reported ready. */
    private long upSince = -1;
    /** Whether the current run says when it is ready: one that ends without having said so failed to start. */
    private boolean reportsReady;
    /** The current run was given up on for not being ready in time: a ready line after that is too late. */
    private boolean startFailed;
    /** Restarts in a row after runs that never became ready. */
    private int failedStarts;
    private int restarts;

    RestartTracker(RestartRules rules) {
        this.rules = rules;
    }

    /**
     * The process was spawned at {@code now}.
     *
     * @param reportsReady whether its runs say when they are ready ({@link #ready}); one that does not
     *                     counts as up from its start, for nothing tells more
     */
    void started(long now, boolean reportsReady) {
        this.reportsReady = reportsReady;
        upSince = reportsReady ? -1 : now;
        startFailed = false;
    }

    /**
     * The current run reported ready at {@code at} (a run that reports it again keeps the first time);
     * ignored once {@link #notReadyInTime}.
     */
    void ready(long at) {
        if (upSince < 0 && !startFailed) {
            upSince = at;
        }
    }

    /**
     * The current run, which reports ready, was not ready within its time and is being stopped: it is a
     * failed start, whatever it says later. One that writes its ready line while it handles the SIGTERM
     * was counted as up since its start, and reset the failed starts in a row at its end.
     */
    void notReadyInTime() {
        if (reportsReady && upSince < 0) {
            startFailed = true;
        }
    }

    /**
     * Whether the current run was given up on by {@link #notReadyInTime}: its end is a failed start,
     * whatever its exit code, and a ready line it writes now is too late.
     */
    boolean gaveUp() {
        return startFailed;
    }

    /** Whether the current run has been up for {@code maxMillis} at {@code now}: healthy, its crash a one-off. */
    boolean healthy(long now) {
        return upSince >= 0 && now - upSince >= rules.maxMillis();
    }

    /**
     * From when on the current run is {@link #healthy}, or {@code Long.MAX_VALUE} while it is not up: what
     * is read of it without the lock of the process, which this tracker is under.
     */
    long healthyFrom() {
        return upSince < 0 || upSince > Long.MAX_VALUE - rules.maxMillis() ? Long.MAX_VALUE
                : upSince + rules.maxMillis();
    }

    /**
     * The process ended at {@code now}, not on request: as a failure (a non-zero exit code, a signal,
     * or a run the supervisor stopped for not being ready in time, which a clean stop ends with 0) or not.
     */
    Decision ended(boolean failure, long now) {
        boolean failedStart = reportsReady && upSince < 0;
        if (!failedStart) {
            failedStarts = 0;
        }
        if (!rules.policy().restarts(failure)) {
            return new Decision(Action.STAY_DOWN, 0, restartTimes.size(), null, 0);
        }
        if (healthy(now)) {
            nextDelay = 0;
        }
        while (!restartTimes.isEmpty() && now - restartTimes.peekFirst() >= rules.windowMillis()) {
            restartTimes.removeFirst();
        }
        if (rules.maxRestarts() > 0 && restartTimes.size() >= rules.maxRestarts()) {
            return new Decision(Action.CRASH_LOOP, 0, restartTimes.size(), Limit.RESTARTS_IN_WINDOW, restartTimes.size());
        }
        if (rules.maxRestarts() > 0 && failedStart && failedStarts >= rules.maxRestarts()) {
            return new Decision(Action.CRASH_LOOP, 0, restartTimes.size(), Limit.FAILED_STARTS_IN_A_ROW, failedStarts);
        }
        long delay = nextDelay;
        nextDelay = delay == 0 ? rules.initialMillis() : Math.min(rules.maxMillis(), delay * 2);
        restartTimes.addLast(now);
        if (restartTimes.size() > timesKept()) {
            restartTimes.removeFirst(); // older than every crash-loop decision needs
        }
        restarts++;
        if (failedStart) {
            failedStarts++;
        }
        return new Decision(Action.RESTART, delay, restartTimes.size(), null, 0);
    }

    /** How many restart times are kept: enough for the crash-loop limit, and to tell the count up to a point. */
    private int timesKept() {
        return Math.max(rules.maxRestarts(), TIMES_KEPT_WITHOUT_LIMIT);
    }

    /** A start by hand: forget the crash loop and the grown delay (the restart count stays). */
    void reset() {
        restartTimes.clear();
        failedStarts = 0;
        nextDelay = 0;
    }

    /** Restarts decided since this tracker was made. */
    int restarts() {
        return restarts;
    }
}
