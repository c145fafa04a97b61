package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What Deadlines keeps grows with the requests outstanding and the timeouts in use, not with every
 * timeout ever seen: a connection whose requests each carry another timeout (an uplink forwarding
 * what is left of its callers' timeouts) and are answered at once keeps no lane and no scheduled
 * check per value, and one that leaves keeps none at all.
 */
class DeadlinesRetentionTest {

    private static final int REQUESTS = 1_000;

    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker).build();
    private final Deadlines deadlines = new Deadlines(channel.eventLoop(), pending -> {
    });

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void answeredRequestsWithDistinctTimeoutsLeaveNoLanesBehind() {
        for (int i = 0; i < REQUESTS; i++) {
            PendingRequest answered = new PendingRequest(null, null, null, 1, i, 100, null);
            deadlines.add(answered, TimeUnit.MILLISECONDS.toNanos(3_600_000L + i));
            deadlines.remove(answered); // answered at once
        }

        // Nothing is outstanding: at most the lane used last may stay, for the next request.
        assertThat(deadlines.lanes()).isLessThanOrEqualTo(1);
    }

    @Test
    void aConnectionThatLeftKeepsNoLaneAndNoCheck() {
        PendingRequest outstanding = new PendingRequest(null, null, null, 1, 1, 100, null);
        deadlines.add(outstanding, TimeUnit.HOURS.toNanos(1));
        deadlines.remove(outstanding);
        assertThat(deadlines.lanes()).isEqualTo(1);

        deadlines.clear();

        assertThat(deadlines.lanes()).isZero();
        // -1: nothing is scheduled any more (the lane's check, due in an hour, was cancelled)
        assertThat(channel.runScheduledPendingTasks()).isEqualTo(-1);
    }
}
