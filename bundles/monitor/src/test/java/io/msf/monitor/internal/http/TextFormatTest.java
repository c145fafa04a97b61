package io.msf.monitor.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test reader refuses what Prometheus would refuse: a lax one would let any output pass. */
class TextFormatTest {

    @Test
    void readsTheFormatAsTheClientWritesIt() {
        assertThat(TextFormat.parse("""
                # HELP a_total Things.
                # TYPE a_total counter
                a_total{x="1\\"2\\\\3\\n"} 4.0
                a_total{x="2"} 5.0 1700000000000
                # TYPE b gauge
                b NaN
                # TYPE h histogram
                h_bucket{le="+Inf"} 1.0
                h_count 1.0
                h_sum 0.5
                """)).containsEntry("a_total{x=\"1\\\"2\\\\3\\n\"}", 4.0).containsEntry("a_total{x=\"2\"}", 5.0)
                .containsKey("b").containsEntry("h_sum", 0.5);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x=\"y\"} 2\n", // a family split apart
        "a 1\n# TYPE a gauge\n", // TYPE after its samples
        "# TYPE a gauge\n# TYPE a gauge\na 1\n", // TYPE twice
        "# TYPE a meter\na 1\n", // no such type
        "# TYPE a counter\na 1\n", // a counter's sample without _total
        "a{x=\"1\",x=\"2\"} 1\n", // a label twice
        "a{x=\"\\t\"} 1\n", // an escape the format has not
        "a{__x=\"1\"} 1\n", // a reserved label name
        "a{x=1} 1\n", // a value not quoted
        "1a 1\n", // a bad name
        "a one\n", // no number
        "a 1 2 3\n", // more than a timestamp
        "a 1\na 2\n", // a sample twice
        "a 1", // no line feed at the end
        "# a comment\na 1\n", // neither HELP nor TYPE
    })
    void refusesWhatPrometheusWouldNotRead(String exposition) {
        assertThatThrownBy(() -> TextFormat.parse(exposition)).isInstanceOfAny(AssertionError.class,
                NumberFormatException.class);
    }
}
