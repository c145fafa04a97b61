package io.msf.log.internal;

import io.msf.log.api.LogLine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** The last records logged, for {@code LogConsole.tail}: a ring that forgets the oldest when full. */
final class TailBuffer {

    private final ArrayDeque<LogLine> lines = new ArrayDeque<>();
    private int capacity;

    TailBuffer(int capacity) {
        resize(capacity);
    }

    synchronized void add(LogLine line) {
        if (capacity == 0) {
            return;
        }
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** Keeps at most {@code capacity} records from now on, dropping the oldest beyond it. */
    synchronized void resize(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("tail size must not be negative: " + capacity);
        }
        this.capacity = capacity;
        while (lines.size() > capacity) {
            lines.removeFirst();
        }
    }

    synchronized int capacity() {
        return capacity;
    }

    /** The last {@code count} records (fewer if fewer are kept), oldest first. */
    synchronized List<LogLine> last(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        int n = Math.min(count, lines.size());
        List<LogLine> result = new ArrayList<>(n);
        Iterator<LogLine> newestFirst = lines.descendingIterator();
        for (int i = 0; i < n; i++) {
            result.add(newestFirst.next());
        }
        Collections.reverse(result);
        return result;
    }
}
