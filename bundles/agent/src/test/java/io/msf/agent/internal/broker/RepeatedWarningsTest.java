package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerClosedException;
import io.msf.timer.api.TimerService;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/**
 * Warnings repeated while the timer service refuses to set the timer that ends their interval: at
 * the container's maxPending (an IllegalStateException) they are still counted, and the timer is
 * asked again with the next one; only a closed timer service (TimerClosedException) ends the episode.
 */
class RepeatedWarningsTest {

    private static final String WHO = "agent handler 'h' of bundle 7";

    private final Logger log = mock(Logger.class);
    private final TimerService timers = mock(TimerService.class);
    private final Broker broker = new Broker(AgentServer.quiet(), timers, () -> ImmediateEventExecutor.INSTANCE, log);
    private final RepeatedWarnings warnings = new RepeatedWarnings(broker, WHO);
    private final List<Runnable> intervals = new ArrayList<>();

    private void timersFull() {
        when(timers.schedule(any(), anyLong(), any(TimeUnit.class))).thenThrow(new IllegalStateException(
                "Cannot schedule a timer for io.msf.agent: 1000000 timers are pending already, the maxPending"
                        + " limit of msf.timer"));
    }

    private void timersFree() {
        when(timers.schedule(any(), anyLong(), any(TimeUnit.class))).thenAnswer(call -> {
            intervals.add(call.getArgument(0));
            return mock(Timeout.class);
        });
    }

    @Test
    void warningsRepeatedWhileTheTimersAreFullAreCountedAndToldOnceATimerIsSet() {
        timersFull();
        for (int i = 1; i <= 5; i++) {
            warnings.warn("NOTIFY handler threw " + i, null);
        }
        verify(log, times(1)).warn(contains("the next ones are counted"), eq(WHO), eq("NOTIFY handler threw 1"));

        timersFree();
        warnings.warn("NOTIFY handler threw 6", null);
        assertThat(intervals).as("the timer asked again with the next warning").hasSize(1);
        intervals.get(0).run();

        verify(log, times(1)).warn(contains("the next ones are counted"), any(), any());
        verify(log, times(1)).warn(contains("more in the last minute"), eq(WHO), eq(5L), eq("NOTIFY handler threw 6"));
    }

    @Test
    void aClosedTimerServiceEndsTheEpisodeSoTheNextWarningIsLoggedInFull() {
        when(timers.schedule(any(), anyLong(), any(TimeUnit.class))).thenThrow(new TimerClosedException("io.msf.agent"));
        warnings.warn("first", null);
        warnings.warn("second", null);

        verify(log, times(1)).warn(contains("the next ones are counted"), eq(WHO), eq("first"));
        verify(log, times(1)).warn(contains("the next ones are counted"), eq(WHO), eq("second"));
        verify(log, never()).warn(contains("more in the last minute"), any(Object[].class));
    }
}
