package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final long MS = 1_000_000;

    @Test
    void delaysDoubleUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.999_999);

        assertThat(LongStream.generate(backoff::nextNanos).limit(6).map(nanos -> (nanos + MS / 2) / MS))
                .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
    }

    @Test
    void jitterKeepsEachDelayInTheUpperHalf() {
        Backoff lowest = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.0);

        assertThat(LongStream.generate(lowest::nextNanos).limit(6).map(nanos -> nanos / MS))
                .containsExactly(50L, 100L, 200L, 400L, 500L, 500L);
    }

    @Test
    void resetStartsOverFromTheInitialDelay() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.0);
        backoff.nextNanos();
        backoff.nextNanos();

        backoff.reset();

        assertThat(backoff.nextNanos()).isEqualTo(50 * MS);
    }
}
