package io.msf.timer.api;

/**
 * One pending timer.
 *
 * @param id a number unique within this service's lifetime
 * @param owner the symbolic name of the bundle that scheduled it
 * @param remainingMillis time until the next deadline (negative when overdue)
 * @param periodMillis the period of a periodic timer (at least 1, a shorter period is shown as 1), 0 for
 *     a one-shot timer
 * @param task the task's {@code toString()}
 */
public record TimerInfo(long id, String owner, long remainingMillis, long periodMillis, String task) {
}
