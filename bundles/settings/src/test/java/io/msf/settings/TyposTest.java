package io.msf.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TyposTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "port, port, 0",
            "prot, port, 1", // two neighbours swapped
            "prt, port, 1", // one missing
            "poort, port, 1", // one doubled
            "pirt, port, 1", // one wrong
            "'', port, 4",
            "tcp-sever, tcp-server, 1",
            "agent:sned, agent:send, 1",
            "abcd, dcba, 3",
            "acbd, abcd, 1",
            "ca, abc, 3", // a swap and an edit of the same letters is not one swap
            "port, portnumber, 6"})
    void countsTheEditsOfATypo(String typed, String known, int edits) {
        assertThat(Typos.distance(typed, known)).isEqualTo(edits);
        assertThat(Typos.distance(known, typed)).isEqualTo(edits);
    }

    /** A value of a million characters in a file: no array per character (tens of MB per name). */
    @Test
    void aVeryLongNameTakesNoMoreMemoryThanTheShorterOne() {
        String typed = "x".repeat(1_000_000);
        Typos.distance("port", "prot"); // its class loaded before the count starts
        long before = allocatedBytes();

        int fromTyped = Typos.distance(typed, "tcp-server");
        int toTyped = Typos.distance("port", typed);

        assertThat(allocatedBytes() - before).as("bytes allocated").isLessThan(1 << 20);
        assertThat(fromTyped).isEqualTo(1_000_000); // 10 letters replaced, the rest deleted
        assertThat(toTyped).isEqualTo(1_000_000);
    }

    /** What this thread has allocated so far (HotSpot's count; a table per character was some 60 MB here). */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
