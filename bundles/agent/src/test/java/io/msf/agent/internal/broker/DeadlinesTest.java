package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The deadline lanes of a connection's requests, on an event loop whose time the test moves. */
class DeadlinesTest {

    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker).build();
    private final List<Long> expired = new ArrayList<>();
    private final Deadlines deadlines = new Deadlines(channel.eventLoop(), pending -> expired.add(pending.sequence));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aRequestExpiresWhenItsTimeoutHasPassedAndNotBefore() {
        deadlines.add(request(1), millis(100));

        advance(99);
        assertThat(expired).isEmpty();
        advance(1);
        assertThat(expired).containsExactly(1L);
    }

    @Test
    void anAnsweredRequestNeverExpiresAndItsEmptyLaneIsDropped() {
        PendingRequest answered = request(1);
        deadlines.add(answered, millis(100));
        deadlines.add(request(2), millis(100));
        assertThat(deadlines.lanes()).isEqualTo(1);

        deadlines.remove(answered);
        advance(100);
        assertThat(expired).containsExactly(2L);
        assertThat(deadlines.lanes()).isZero();
        assertThat(channel.hasPendingTasks()).isFalse();
    }

    @Test
    void aCheckThatFindsItsOldestAnsweredWaitsForTheNextOldest() {
        PendingRequest first = request(1);
        deadlines.add(first, millis(100));
        advance(60);
        deadlines.add(request(2), millis(100));
        deadlines.remove(first);

        advance(40);
        assertThat(expired).isEmpty();
        advance(59);
        assertThat(expired).isEmpty();
        advance(1);
        assertThat(expired).containsExactly(2L);
    }

    @Test
    void aShortTimeoutMadeAfterLongOnesExpiresFirst() {
        deadlines.add(request(1), millis(1000));
        deadlines.add(request(2), millis(1000));
        deadlines.add(request(3), millis(50));
        assertThat(deadlines.lanes()).isEqualTo(2);

        advance(50);
        assertThat(expired).containsExactly(3L);
        advance(950);
        assertThat(expired).containsExactly(3L, 1L, 2L);
        assertThat(deadlines.lanes()).isZero();
    }

    @Test
    void requestsOfOneTimeoutExpireInTheOrderTheyWereMade() {
        for (long sequence = 1; sequence <= 5; sequence++) {
            deadlines.add(request(sequence), millis(100));
            advance(10);
        }
        deadlines.remove(request(99)); // not timed here: nothing happens

        advance(60); // 110 ms after the first, 70 after the last
        assertThat(expired).containsExactly(1L, 2L);
        advance(30);
        assertThat(expired).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    private static PendingRequest request(long sequence) {
        return new PendingRequest(null, null, null, 1, sequence, 100, null);
    }

    private static long millis(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private void advance(long millis) {
        ticker.advanceMillis(millis);
        channel.runScheduledPendingTasks();
    }
}
