package io.msf.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.msf.log.api.LogLine;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TailBufferTest {

    private static LogLine line(int n) {
        return new LogLine(Instant.EPOCH, "INFO", "b", "l", "m" + n, "");
    }

    private static TailBuffer filled(int capacity, int records) {
        TailBuffer tail = new TailBuffer(capacity);
        for (int i = 1; i <= records; i++) {
            tail.add(line(i));
        }
        return tail;
    }

    @Test
    void keepsTheLastRecordsOldestFirst() {
        TailBuffer tail = filled(3, 5);

        assertThat(tail.last(10)).extracting(LogLine::message).containsExactly("m3", "m4", "m5");
        assertThat(tail.last(2)).extracting(LogLine::message).containsExactly("m4", "m5");
        assertThat(tail.last(0)).isEmpty();
    }

    @Test
    void returnsWhatThereIsBeforeItIsFull() {
        assertThat(filled(10, 2).last(5)).extracting(LogLine::message).containsExactly("m1", "m2");
    }

    @Test
    void shrinkingDropsTheOldestAndGrowingKeepsWhatIsThere() {
        TailBuffer tail = filled(5, 5);

        tail.resize(2);
        assertThat(tail.last(5)).extracting(LogLine::message).containsExactly("m4", "m5");

        tail.resize(4);
        tail.add(line(6));
        tail.add(line(7));
        tail.add(line(8));
        assertThat(tail.last(5)).extracting(LogLine::message).containsExactly("m5", "m6", "m7", "m8");
    }

    @Test
    void sizeZeroKeepsNothing() {
        assertThat(filled(0, 3).last(3)).isEmpty();
    }

    @Test
    void rejectsNegativeCounts() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TailBuffer(1).last(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> new TailBuffer(-1));
    }
}
