package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerService;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/**
 * Malformed frames from many addresses: each of the first {@value PeerAddressWarnings#MAX_ADDRESSES}
 * has lines of its own, the others share one count, and an address quiet for a minute makes room.
 */
class PeerAddressWarningsTest {

    private static final String FURTHER = "agent, malformed frames from further addresses (at most 20 are counted"
            + " apart)";

    private final Logger log = mock(Logger.class);
    private final TimerService timers = mock(TimerService.class);
    private final Broker broker = new Broker(AgentServer.quiet(), timers, () -> ImmediateEventExecutor.INSTANCE, log);
    private final PeerAddressWarnings warnings = new PeerAddressWarnings(broker, "malformed frames");
    /** The ends of the intervals the warnings asked for, not yet run. */
    private final List<Runnable> intervals = new ArrayList<>();

    @BeforeEach
    void timers() {
        when(timers.schedule(any(), anyLong(), any(TimeUnit.class))).thenAnswer(call -> {
            intervals.add(call.getArgument(0));
            return mock(Timeout.class);
        });
    }

    private void aMinutePasses() {
        List<Runnable> ending = List.copyOf(intervals);
        intervals.clear();
        ending.forEach(Runnable::run);
    }

    private static String from(int address) {
        return "tcp 10.0.0." + address;
    }

    private static String closed(int address, int port) {
        return "closed the connection from " + from(address) + ":" + port + ": BAD_FRAME bad magic 0x4745";
    }

    @Test
    void theFirstAddressesHaveLinesOfTheirOwnAndTheOthersShareOne() {
        int addresses = PeerAddressWarnings.MAX_ADDRESSES + 5;
        for (int port = 1000; port < 1002; port++) {
            for (int address = 1; address <= addresses; address++) {
                warnings.warn(from(address), closed(address, port));
            }
        }

        for (int address = 1; address <= PeerAddressWarnings.MAX_ADDRESSES; address++) {
            verify(log, times(1)).warn(contains("the next ones are counted"), eq("agent, malformed frames from "
                    + from(address)), eq(closed(address, 1000)));
        }
        verify(log, times(1)).warn(contains("the next ones are counted"), eq(FURTHER), eq(closed(21, 1000)));
        verify(log, times(PeerAddressWarnings.MAX_ADDRESSES + 1)).warn(contains("the next ones are counted"),
                any(), any());

        aMinutePasses();
        verify(log, times(1)).warn(contains("more in the last minute"), eq("agent, malformed frames from "
                + from(1)), eq(1L), eq(closed(1, 1001)));
        verify(log, times(1)).warn(contains("more in the last minute"), eq(FURTHER), eq(9L), eq(closed(25, 1001)));
    }

    @Test
    void anAddressQuietForAMinuteIsForgottenAndTheNextFromItIsToldInFull() {
        for (int address = 1; address <= PeerAddressWarnings.MAX_ADDRESSES; address++) {
            warnings.warn(from(address), closed(address, 1000));
        }
        assertThat(warnings.addresses()).isEqualTo(PeerAddressWarnings.MAX_ADDRESSES);

        aMinutePasses();
        assertThat(warnings.addresses()).isZero();
        clearInvocations(log);

        warnings.warn(from(1), closed(1, 1001));
        warnings.warn(from(30), closed(30, 1000));
        verify(log, times(1)).warn(contains("the next ones are counted"), eq("agent, malformed frames from " + from(1)),
                eq(closed(1, 1001)));
        verify(log, times(1)).warn(contains("the next ones are counted"),
                eq("agent, malformed frames from " + from(30)), eq(closed(30, 1000)));
    }
}
