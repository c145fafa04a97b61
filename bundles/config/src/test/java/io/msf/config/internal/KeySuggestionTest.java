package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

        assertThat(KeySuggestion.of(typed, OPTIONS)).isEmpty();
    }
}
