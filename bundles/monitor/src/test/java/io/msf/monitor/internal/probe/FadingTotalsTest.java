package io.msf.monitor.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FadingTotalsTest {

    private final FadingTotals<String, Long> totals = new FadingTotals<>(100, 3);

    @Test
    void addsUpWhatIsAddedUnderOneKey() {
        totals.add("a", 5L, Long::sum, 0);
        totals.add("a", 7L, Long::sum, 1);

        assertThat(totals.get("a", 0L)).isEqualTo(12);
        assertThat(totals.get("b", -1L)).isEqualTo(-1);
    }

    @Test
    void aKeySeenLatelyIsKeptAndOneAwayForTheWholeWhileIsForgotten() {
        totals.add("seen", 1L, Long::sum, 0);
        totals.add("away", 2L, Long::sum, 0);
        totals.seen("seen", 60);
        totals.seen("nobody", 60); // a sighting of a key without a total keeps nothing

        totals.forget(100);

        assertThat(kept()).containsExactly(Map.entry("seen", 1L));
        assertThat(totals.size()).isEqualTo(1);
        totals.forget(159);
        assertThat(kept()).containsOnlyKeys("seen");
        totals.forget(160);
        assertThat(kept()).isEmpty();
    }

    @Test
    void pastItsBoundTheLongestAwayGoFirst() {
        totals.add("a", 1L, Long::sum, 0);
        totals.add("b", 1L, Long::sum, 1);
        totals.add("c", 1L, Long::sum, 2);
        totals.seen("a", 3); // back: now the most recent
        totals.add("d", 1L, Long::sum, 4);
        totals.add("e", 1L, Long::sum, 5);

        totals.forget(6);

        assertThat(kept()).containsOnlyKeys("a", "d", "e");
    }

    private Map<String, Long> kept() {
        Map<String, Long> kept = new LinkedHashMap<>();
        totals.forEach(kept::put);
        return kept;
    }
}
