package io.msf.settings;

import static org.assertj.core.api.Assertions.assertThat;

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
            "abcd, dcba, 3"})
    void countsTheEditsOfATypo(String typed, String known, int edits) {
        assertThat(Typos.distance(typed, known)).isEqualTo(edits);
        assertThat(Typos.distance(known, typed)).isEqualTo(edits);
    }
}
