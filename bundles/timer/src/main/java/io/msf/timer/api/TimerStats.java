package io.msf.timer.api;

/**
 * Timer figures at one moment.
 *
 * @param pending timers scheduled and neither fired (one-shot) nor cancelled
 * @param fired runs of timer tasks so far (each run of a periodic timer counts)
 * @param cancelled timers cancelled, by their owner or because their owner stopped
 * @param late runs that started more than one tick after the tick they were due at (the first tick
 *     at or after their deadline): the timer thread was held up
 * @param failed runs whose task threw
 */
public record TimerStats(long pending, long fired, long cancelled, long late, long failed) {
}
