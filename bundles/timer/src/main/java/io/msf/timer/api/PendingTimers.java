package io.msf.timer.api;

import java.util.List;

/**
 * The soonest of the pending timers that a listing asked for, and how many there are in all.
 *
 * @param soonest at most the number asked for, soonest first
 * @param matching how many pending timers matched, those left out included
 * @since 1.3
 */
public record PendingTimers(List<TimerInfo> soonest, long matching) {

    public PendingTimers {
        soonest = List.copyOf(soonest);
    }
}
