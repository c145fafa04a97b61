package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LatencyRecorderTest {

    private final LatencyRecorder latency = new LatencyRecorder();

    @Test
    void zerosBeforeTheFirstValue() {
        assertThat(latency.percentiles()).containsExactly(0, 0, 0);
    }

    @Test
    void theRecentP99ComesBackDownOnceASlowSpellIsOverWhileTheTotalKeepsIt() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        LatencyRecorder recorder = new LatencyRecorder(now::get);
        long slot = TimeUnit.SECONDS.toNanos(LatencyRecorder.SLOT_SECONDS);
        for (int i = 0; i < 100; i++) {
            recorder.record(2_000_000_000L); // a slow start: 2 s each
        }
        assertThat(recorder.percentiles()[2]).isBetween(1_980_000L, 2_020_000L);

        now.addAndGet(slot);
        for (int i = 0; i < 1000; i++) {
            recorder.record(1_000_000L); // then 1 ms each
        }
        // the slow spell is still in the window (the slot before)
        assertThat(recorder.percentiles()[2]).isBetween(1_980_000L, 2_020_000L);

        now.addAndGet(slot);
        recorder.record(1_000_000L);
        long[] after = recorder.percentiles();
        assertThat(after[2]).as("recent p99 once the slow spell has left the window").isBetween(990L, 1_010L);
        assertThat(after[1]).as("the total's p99 still has it").isGreaterThan(1_900_000L);

        now.addAndGet(2 * slot);
        assertThat(recorder.percentiles()[2]).as("nothing answered in the window").isZero();
        assertThat(recorder.percentiles()[1]).isGreaterThan(1_900_000L);
    }

    @Test
    void aSlowSpellAfterALongFastTimeShowsInTheRecentP99AtOnce() {
        AtomicLong now = new AtomicLong();
        LatencyRecorder recorder = new LatencyRecorder(now::get);
        for (int i = 0; i < 100_000; i++) {
            recorder.record(1_000_000L);
        }
        recorder.percentiles();
        now.addAndGet(TimeUnit.SECONDS.toNanos(3 * LatencyRecorder.SLOT_SECONDS));
        for (int i = 0; i < 100; i++) {
            recorder.record(500_000_000L);
        }
        long[] percentiles = recorder.percentiles();
        assertThat(percentiles[1]).as("the total hardly moves").isBetween(990L, 1_010L);
        assertThat(percentiles[2]).isBetween(495_000L, 505_000L);
    }

    @Test
    void percentilesCoverEverythingRecordedAndSurviveReadsWithNothingNew() {
        for (int micros = 1; micros <= 100; micros++) {
            latency.record(micros * 1000L);
        }
        long[] first = latency.percentiles();
        assertThat(first[0]).isBetween(49L, 51L);
        assertThat(first[1]).isBetween(98L, 100L);

        assertThat(latency.percentiles()).containsExactly(first);

        for (int i = 0; i < 1000; i++) {
            latency.record(5_000_000L);
        }
        assertThat(latency.percentiles()[0]).isBetween(4_950L, 5_050L);
    }

    @Test
    void anIdlePeerLetsItsRecordingHistogramsGoAndKeepsEverythingItRecorded() {
        assertThat(latency.holdsRecordingHistograms()).isFalse();
        latency.record(10_000L);
        latency.percentiles();
        assertThat(latency.holdsRecordingHistograms()).isTrue();

        for (int read = 1; read < LatencyRecorder.IDLE_READS; read++) {
            latency.percentiles();
        }
        assertThat(latency.holdsRecordingHistograms()).isTrue();
        latency.percentiles();
        assertThat(latency.holdsRecordingHistograms()).isFalse();

        latency.record(30_000L);
        latency.record(30_000L);
        assertThat(latency.count()).isEqualTo(3);
        assertThat(latency.percentiles()[0]).isBetween(29L, 31L);
    }

    @Test
    void aCallerCannotChangeWhatTheNextOneReads() {
        latency.record(7_000L);
        latency.percentiles()[0] = -1;

        assertThat(latency.percentiles()[0]).isPositive();
    }

    @Test
    @Timeout(60) // an unguarded packed histogram can loop forever when written concurrently
    void valuesRecordedByManyThreadsWhileAnotherReadsAreAllCounted() throws Exception {
        int writers = 4;
        int perWriter = 50_000;
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            while (writing.get()) {
                latency.percentiles();
            }
        });
        reader.start();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            long nanos = (w + 1) * 1_000_000L;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < perWriter; i++) {
                    latency.record(nanos);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        writing.set(false);
        reader.join();

        assertThat(latency.count()).isEqualTo((long) writers * perWriter);
        long[] percentiles = latency.percentiles();
        assertThat(percentiles[0]).isBetween(1_990L, 2_010L);
        assertThat(percentiles[1]).isBetween(3_980L, 4_020L);
    }
}
