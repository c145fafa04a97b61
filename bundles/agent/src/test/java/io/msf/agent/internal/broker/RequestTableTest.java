package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The outstanding-request table behaves as a map by sequence, through growth, shrinking and collisions. */
class RequestTableTest {

    private final RequestTable table = new RequestTable();

    @Test
    void aSequenceIsInOnceAndOnlyTheRequestItselfRemovesIt() {
        PendingRequest first = request(7);
        PendingRequest sameSequence = request(7);

        assertThat(table.putIfAbsent(first)).isTrue();
        assertThat(table.putIfAbsent(sameSequence)).isFalse();
        assertThat(table.get(7)).isSameAs(first);
        assertThat(table.remove(sameSequence)).isFalse();
        assertThat(table.remove(first)).isTrue();
        assertThat(table.remove(first)).isFalse();
        assertThat(table.get(7)).isNull();
        assertThat(table.size()).isZero();
    }

    @Test
    void aWindowOfConsecutiveSequencesGrowsAndShrinksTheTableWithoutLosingOne() {
        List<PendingRequest> window = new ArrayList<>();
        for (long sequence = 1; sequence <= 10_000; sequence++) {
            PendingRequest pending = request(sequence);
            assertThat(table.putIfAbsent(pending)).isTrue();
            window.add(pending);
        }
        assertThat(table.size()).isEqualTo(10_000);
        assertThat(table.values()).containsExactlyInAnyOrderElementsOf(window);

        // answered oldest first, as a pipelining client's are: each left findable until removed
        for (int i = 0; i < window.size(); i++) {
            PendingRequest oldest = window.get(i);
            assertThat(table.get(oldest.sequence)).isSameAs(oldest);
            assertThat(table.remove(oldest)).isTrue();
            if (i + 1 < window.size()) {
                assertThat(table.get(window.get(i + 1).sequence)).isSameAs(window.get(i + 1));
            }
        }
        assertThat(table.size()).isZero();
        assertThat(table.values()).isEmpty();
    }

    @Test
    void aWindowThatFillsAndDrainsAtEveryBurstKeepsItsTable() {
        long sequence = 0;
        int capacity = 0;
        for (int burst = 0; burst < 100; burst++) {
            List<PendingRequest> window = new ArrayList<>();
            for (int i = 0; i < 256; i++) {
                window.add(request(++sequence));
                table.putIfAbsent(window.get(i));
            }
            if (burst == 0) {
                capacity = table.capacity();
            }
            window.forEach(table::remove);
            assertThat(table.capacity()).isEqualTo(capacity);
        }
    }

    @Test
    void aTableLeftLargeByABurstShrinksOnceTheRequestsStayFew() {
        List<PendingRequest> burst = new ArrayList<>();
        for (long sequence = 1; sequence <= 10_000; sequence++) {
            burst.add(request(sequence));
            table.putIfAbsent(burst.get(burst.size() - 1));
        }
        burst.forEach(table::remove);
        int afterBurst = table.capacity();

        // then one request at a time, as a caller waiting for each answer makes them
        for (long sequence = 10_001; sequence <= 200_000; sequence++) {
            PendingRequest one = request(sequence);
            table.putIfAbsent(one);
            assertThat(table.get(sequence)).isSameAs(one);
            table.remove(one);
        }

        assertThat(afterBurst).isGreaterThan(10_000);
        assertThat(table.capacity()).isEqualTo(16);
    }

    @Test
    void sequencesThatShareTheirLowBitsOrSpanTheWholeRangeAreKeptApart() {
        long[] sequences = {0, 1L << 32, 1L << 40, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1024, 2048, 4096};
        for (long sequence : sequences) {
            assertThat(table.putIfAbsent(request(sequence))).isTrue();
        }
        for (long sequence : sequences) {
            assertThat(table.get(sequence).sequence).isEqualTo(sequence);
        }
        assertThat(table.get(3)).isNull();
    }

    @Test
    void randomAddsAndRemovesAgreeWithAMap() {
        Random random = new Random(20261129);
        Map<Long, PendingRequest> expected = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            long sequence = random.nextInt(5_000);
            PendingRequest present = expected.get(sequence);
            if (random.nextBoolean()) {
                PendingRequest pending = request(sequence);
                assertThat(table.putIfAbsent(pending)).isEqualTo(present == null);
                expected.putIfAbsent(sequence, pending);
            } else if (present != null) {
                assertThat(table.remove(present)).isTrue();
                expected.remove(sequence);
            } else {
                assertThat(table.get(sequence)).isNull();
            }
            assertThat(table.size()).isEqualTo(expected.size());
        }
        for (Map.Entry<Long, PendingRequest> entry : expected.entrySet()) {
            assertThat(table.get(entry.getKey())).isSameAs(entry.getValue());
        }
        assertThat(table.values()).containsExactlyInAnyOrderElementsOf(expected.values());
    }

    private static PendingRequest request(long sequence) {
        return new PendingRequest(null, null, null, 1, sequence, 100, null);
    }
}
