package io.msf.monitor.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.monitor.internal.probe.FadingTotals;
import io.msf.monitor.internal.probe.PeerFigures;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerCountersTest {

    private static final long AWAY = FadingTotals.FORGET_AWAY_NANOS;

    private final PeerCounters counters = new PeerCounters();

    @Test
    void aSeriesStillShownKeepsWhatItsEndedConnectionsCountedPastTheWhile() {
        counters.series(List.of(player(1, 4), player(2, 0)), 0);
        List<PeerSeries> series = List.of();
        for (long now = AWAY / 2; now <= 3 * AWAY; now += AWAY / 2) {
            series = counters.series(List.of(player(2, 0)), now);
        }

        assertThat(series).singleElement().extracting(PeerSeries::errors).isEqualTo(4L);
    }

    /** Peers name themselves: one reconnecting under a new name each time must not grow the exporter. */
    @Test
    void aSeriesGoneForTheWhileIsForgottenAndCountsAnewWhenBack() {
        counters.series(List.of(player(1, 4)), 0);
        counters.series(List.of(), 1);
        assertThat(counters.seriesRemembered()).isEqualTo(1);

        counters.series(List.of(), AWAY + 1);
        assertThat(counters.seriesRemembered()).isZero();
        assertThat(counters.series(List.of(player(3, 1)), AWAY + 2)).singleElement().extracting(PeerSeries::errors)
                .isEqualTo(1L);
    }

    private static PeerFigures player(int connection, long errors) {
        String origin = "tcp 127.0.0.1:" + (40000 + connection);
        return new PeerFigures(7, "player", "TCP", origin, PeerFigures.serviceOf(false, origin, 7, "player"), 1, 1, 0,
                0, 0, 0, errors, 0, 0, 0);
    }
}
