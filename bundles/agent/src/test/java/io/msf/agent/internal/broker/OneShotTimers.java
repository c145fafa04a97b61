package io.msf.agent.internal.broker;

import io.msf.timer.api.PendingTimers;
import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerInfo;
import io.msf.timer.api.TimerService;
import io.msf.timer.api.TimerStats;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the timer bundle in the agent's tests, which schedule one-shot timers only: the rest
 * of {@link TimerService} is refused, so that a test relying on it fails plainly.
 */
public abstract class OneShotTimers implements TimerService {

    @Override
    public abstract Timeout schedule(Runnable task, long delay, TimeUnit unit);

    @Override
    public final Timeout scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public final TimerStats stats() {
        throw new UnsupportedOperationException();
    }

    @Override
    public final TimerStats ownStats() {
        throw new UnsupportedOperationException();
    }

    @Override
    public final Map<String, TimerStats> statsByOwner() {
        throw new UnsupportedOperationException();
    }

    @Override
    public final List<TimerInfo> pending() {
        throw new UnsupportedOperationException();
    }

    @Override
    public final PendingTimers pending(String owner, int limit) {
        throw new UnsupportedOperationException();
    }
}
