package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeySuggestionTest {

    private static final List<String> OPTIONS = List.of("tcp-server", "tcp-client", "udp", "intervalMillis");

    @Test
    void aTypoOrTheStartOfAKeyNamesIt() {
        assertThat(KeySuggestion.of("tcp-sever", OPTIONS)).contains("tcp-server");
        assertThat(KeySuggestion.of("UPD", OPTIONS)).contains("udp");
        assertThat(KeySuggestion.of("interval", OPTIONS)).contains("intervalMillis");
        assertThat(KeySuggestion.of("tcp-", OPTIONS)).isEmpty(); // two keys start so
    }

    /**
     * A value of a million characters in an etc/*.cfg, checked against an option list: the distance
     * took an int[] per character for each option (tens of MB each, under the container's -Xmx256m).
     */
    @Test
    void aVeryLongValueNamesNothing() {
        String typed = "tcp-server".repeat(100_000);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        KeySuggestion.of("udp", OPTIONS); // the classes it uses loaded before the count starts
        long before = threads.getCurrentThreadAllocatedBytes();

        Optional<String> meant = KeySuggestion.of(typed, OPTIONS);

        // the value's lower-case copy, some 1 MB; a table per character and option was hundreds of MB
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).as("bytes allocated").isLessThan(8L << 20);
        assertThat(meant).isEmpty();
    }
}
