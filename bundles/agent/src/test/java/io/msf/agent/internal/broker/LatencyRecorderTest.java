package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    private final LatencyRecorder latency = new LatencyRecorder();

    @Test
    void zerosBeforeTheFirstValue() {
        assertThat(latency.percentiles()).containsExactly(0, 0);
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
    void aCallerCannotChangeWhatTheNextOneReads() {
        latency.record(7_000L);
        latency.percentiles()[0] = -1;

        assertThat(latency.percentiles()[0]).isPositive();
    }
}
