package io.msf.monitor.internal.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertBookTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Limit LIMIT = Limit.of(100, 0.9);
    private static final int UNKNOWN_ROUNDS = 11;

    private final AlertBook book = new AlertBook();

    @Test
    void raisesAtOrAboveTheThreshold() {
        assertThat(update(99.9)).isEmpty();
        List<AlertChange> changes = update(101);
        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.raised()).isTrue();
            assertThat(change.state()).isEqualTo("raised");
            assertThat(change.alert().kind()).isEqualTo(AlertKind.MEMORY);
            assertThat(change.alert().subject()).isEqualTo("io.x");
            assertThat(change.alert().value()).isEqualTo(101);
            assertThat(change.alert().threshold()).isEqualTo(100);
        });
        assertThat(book.open()).hasSize(1);
    }

    /**
     * A percentage never goes above 100 (the heap after GC, the open files of their limit, the process's
     * CPU of all cores): a threshold set to 100, which the metatype allows, was never crossed.
     */
    @Test
    void aFigureExactlyAtAThresholdOf100PercentRaises() {
        List<AlertChange> changes = book.update(List.of(new Reading(AlertKind.FILES, "process", 100,
                Limit.of(100, 0.9))), Set.of("process"), T0, UNKNOWN_ROUNDS);
        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.raised()).isTrue();
            assertThat(change.alert().threshold()).isEqualTo(100);
        });
    }

    @Test
    void staysOpenBetweenTheClearLevelAndTheThreshold() {
        update(150);
        assertThat(update(95)).as("under the threshold, above 90% of it").isEmpty();
        assertThat(update(90)).as("exactly at the clear level").isEmpty();
        assertThat(book.open()).singleElement().satisfies(alert -> assertThat(alert.value()).isEqualTo(90));
        List<AlertChange> cleared = update(89.9);
        assertThat(cleared).singleElement().satisfies(change -> {
            assertThat(change.raised()).isFalse();
            assertThat(change.alert().value()).isEqualTo(89.9);
            assertThat(change.alert().since()).isEqualTo(T0);
        });
        assertThat(book.open()).isEmpty();
    }

    @Test
    void anUnknownFigureRaisesNothingAndLeavesAnOpenAlertAsItIs() {
        assertThat(update(-1)).isEmpty();
        assertThat(book.open()).isEmpty();
        update(150);
        assertThat(update(-1)).as("unknown is not back under").isEmpty();
        assertThat(book.open()).singleElement().satisfies(alert -> assertThat(alert.value()).isEqualTo(150));
        assertThat(update(50)).singleElement().satisfies(change -> {
            assertThat(change.raised()).isFalse();
            assertThat(change.alert().value()).isEqualTo(50);
        });
    }

    /**
     * A figure unknown for the limit of rounds is none coming (a thread group whose threads all live shorter than the
     * alert window never gets one): the alert clears, with the figure last known, saying why. It stayed open
     * for as long as its subject lived, showing a figure no sample had read for hours.
     */
    @Test
    void anOpenAlertWhoseFigureStaysUnknownForTheLimitClearsSayingSo() {
        at(0, 150);
        for (int second = 1; second <= 11; second++) {
            assertThat(at(second, -1)).as("unknown %d rounds after the first, not more than 11", second - 1).isEmpty();
        }
        assertThat(at(12, 160)).as("known again, still over: the unknown run ends").isEmpty();
        for (int second = 13; second <= 23; second++) {
            assertThat(at(second, -1)).as("the new run").isEmpty();
        }
        assertThat(at(24, -1)).as("11 rounds after the first unknown one").singleElement().satisfies(change -> {
            assertThat(change.raised()).isFalse();
            assertThat(change.figureUnknown()).isTrue();
            assertThat(change.subjectGone()).isFalse();
            assertThat(change.alert().value()).as("the figure last known").isEqualTo(160);
            assertThat(change.alert().since()).isEqualTo(T0);
        });
        assertThat(book.open()).isEmpty();
        assertThat(at(40, -1)).as("an unknown figure raises nothing").isEmpty();
        assertThat(at(41, 150)).singleElement().satisfies(change -> assertThat(change.raised()).isTrue());
    }

    /**
     * Whether a figure is known follows the monotonic clock of the samples; the wall clock may step
     * forward (NTP, a resumed VM) between two samples. Such a step cleared the alert as unknown too long,
     * and a figure known a window later raised it again: the flap the limit is there to avoid.
     */
    @Test
    void aStepOfTheWallClockDoesNotClearAnAlertWhoseFigureIsUnknown() {
        at(0, 150);
        assertThat(at(1, -1)).isEmpty();
        assertThat(at(3601, -1)).as("the wall clock stepped an hour forward: one more sample unknown").isEmpty();
        assertThat(book.open()).hasSize(1);
        for (int second = 3602; second <= 3610; second++) {
            assertThat(at(second, -1)).isEmpty();
        }
        assertThat(at(3611, -1)).as("11 rounds after the first unknown one, the step counting as one")
                .singleElement().satisfies(change -> assertThat(change.figureUnknown()).isTrue());
    }

    @Test
    void unknownRoundsBelowOneAreRefused() {
        assertThatThrownBy(() -> book.update(List.of(), Set.of(), T0, 0)).hasMessageContaining("unknownRounds 0");
    }

    @Test
    void aClearByAFigureSaysItsFigureWasKnown() {
        at(0, 150);
        assertThat(at(1, 50)).singleElement().satisfies(change -> {
            assertThat(change.figureUnknown()).isFalse();
            assertThat(change.subjectGone()).isFalse();
        });
    }

    @Test
    void doesNotRaiseAgainWhileOpen() {
        update(150);
        assertThat(update(200)).isEmpty();
        assertThat(update(300)).isEmpty();
        assertThat(book.open()).singleElement().satisfies(alert -> assertThat(alert.value()).isEqualTo(300));
    }

    @Test
    void clearsAnAlertWhoseSubjectIsGoneOnceItHasBeenMissingTheRoundsAllowed() {
        update(150);
        for (int round = 1; round < AlertBook.ABSENT_ROUNDS; round++) {
            assertThat(book.update(List.of(), Set.of(), T0, UNKNOWN_ROUNDS)).as("round %d without io.x", round)
                    .isEmpty();
        }
        List<AlertChange> changes = book.update(List.of(), Set.of(), T0, UNKNOWN_ROUNDS);
        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.raised()).isFalse();
            assertThat(change.alert().subject()).isEqualTo("io.x");
            assertThat(change.alert().value()).as("the figure last read").isEqualTo(150);
            assertThat(change.subjectGone()).as("cleared as gone, not by a figure").isTrue();
        });
        assertThat(book.open()).isEmpty();
    }

    @Test
    void anAlertOutlivesAShortAbsenceOfItsSubjectWithoutAClearAndARaise() {
        update(150);
        assertThat(book.update(List.of(), Set.of("process"), T0.plusSeconds(1), UNKNOWN_ROUNDS))
                .as("io.x missing for a sample, as between a hot swap's two versions").isEmpty();
        assertThat(book.open()).singleElement().satisfies(alert -> assertThat(alert.value()).isEqualTo(150));
        assertThat(book.update(List.of(new Reading(AlertKind.MEMORY, "io.x", 160, LIMIT)), Set.of("io.x"),
                T0.plusSeconds(2), UNKNOWN_ROUNDS)).as("back, still over").isEmpty();
        assertThat(book.open()).singleElement().satisfies(alert -> {
            assertThat(alert.value()).isEqualTo(160);
            assertThat(alert.since()).isEqualTo(T0);
        });
        // the count of rounds missing starts again after a round with a reading
        for (int round = 1; round < AlertBook.ABSENT_ROUNDS; round++) {
            assertThat(book.update(List.of(), Set.of(), T0, UNKNOWN_ROUNDS)).isEmpty();
        }
    }

    @Test
    void clearsAtOnceAnAlertWithoutAReadingWhoseSubjectWasSampled() {
        update(150);
        // its threshold turned off, which leaves no reading, or its figure no longer known
        assertThat(book.update(List.of(), Set.of("io.x"), T0, UNKNOWN_ROUNDS)).singleElement().satisfies(change -> {
            assertThat(change.raised()).isFalse();
            assertThat(change.subjectGone()).as("its subject is still sampled").isFalse();
        });
    }

    @Test
    void clearsWhenTheThresholdIsTurnedOff() {
        update(150);
        assertThat(book.update(List.of(new Reading(AlertKind.MEMORY, "io.x", 150, Limit.OFF)), Set.of("io.x"), T0,
                UNKNOWN_ROUNDS))
                .singleElement().satisfies(change -> assertThat(change.raised()).isFalse());
    }

    @Test
    void aRaisedThresholdClearsAnOpenAlertWhoseFigureIsUnderIt() {
        update(95, Limit.of(90, 0.9));
        List<AlertChange> changes = update(95, Limit.of(99, 0.9));
        assertThat(changes).as("95 is under the new threshold 99, though above its clear level 89.1")
                .singleElement().satisfies(change -> {
                    assertThat(change.raised()).isFalse();
                    assertThat(change.alert().value()).isEqualTo(95);
                });
        assertThat(book.open()).isEmpty();
        assertThat(update(95, Limit.of(99, 0.9))).as("not raised again").isEmpty();
    }

    @Test
    void aChangedThresholdAboveWhichTheFigureStillIsKeepsTheAlertOpenShowingIt() {
        update(150, Limit.of(90, 0.9));
        assertThat(update(150, Limit.of(120, 0.9))).isEmpty();
        assertThat(update(140, Limit.of(50, 0.9))).isEmpty();
        assertThat(book.open()).singleElement().satisfies(alert -> {
            assertThat(alert.threshold()).isEqualTo(50);
            assertThat(alert.value()).isEqualTo(140);
            assertThat(alert.since()).isEqualTo(T0);
        });
    }

    @Test
    void keepsSubjectsAndKindsApart() {
        book.update(List.of(new Reading(AlertKind.MEMORY, "a", 150, LIMIT),
                new Reading(AlertKind.TIMERS, "a", 150, LIMIT), new Reading(AlertKind.MEMORY, "b", 50, LIMIT)), Set.of("a", "b"), T0,
                UNKNOWN_ROUNDS);
        assertThat(book.open()).extracting(Alert::kind, Alert::subject)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AlertKind.MEMORY, "a"),
                        org.assertj.core.groups.Tuple.tuple(AlertKind.TIMERS, "a"));
    }

    @Test
    void aClearRatioOfOneClearsAsSoonAsTheFigureIsBackUnder() {
        Limit exact = Limit.of(100, 1.0);
        book.update(List.of(new Reading(AlertKind.HEAP, "process", 101, exact)), Set.of("process"), T0, UNKNOWN_ROUNDS);
        assertThat(book.update(List.of(new Reading(AlertKind.HEAP, "process", 99.99, exact)), Set.of("process"), T0,
                UNKNOWN_ROUNDS)).hasSize(1);
    }

    @Test
    void limitChecksItsRatio() {
        assertThat(Limit.of(0, 0.9).isOff()).isTrue();
        assertThat(Limit.of(-1, 0.9).isOff()).isTrue();
        assertThat(Limit.of(200, 0.5)).isEqualTo(new Limit(200, 100));
        assertThatThrownBy(() -> Limit.of(100, 0)).hasMessageContaining("clearRatio");
        assertThatThrownBy(() -> Limit.of(100, 1.5)).hasMessageContaining("clearRatio");
    }

    @Test
    void formatsFiguresInTheirUnit() {
        assertThat(AlertKind.MEMORY.format(1536 * 1024)).isEqualTo("1.5 MiB");
        assertThat(AlertKind.MEMORY.format(512)).isEqualTo("512 B");
        // as the commands print sizes: just under a unit reads as that unit, not "1024.0 KiB"
        assertThat(AlertKind.RSS.format(1024 * 1024 - 20)).isEqualTo("1.0 MiB");
        assertThat(AlertKind.CPU.format(93.25)).isEqualTo("93.3%");
        assertThat(AlertKind.AGENT_ERRORS.format(2)).isEqualTo("2.0/s");
        assertThat(AlertKind.CPU.topic()).isEqualTo("msf/alert/cpu");
        assertThat(AlertKind.AGENT_LATENCY.topic()).isEqualTo("msf/alert/agent-latency");
    }

    /**
     * A threshold under 0.05 (a percentage, errors per second, milliseconds) printed as 0.0, which reads as
     * "off": a figure that is not 0 shows as many digits as it takes to be told from 0.
     */
    @Test
    void aSmallFigureThatIsNotZeroIsNotPrintedAsZero() {
        assertThat(AlertKind.GC.format(0.04)).isEqualTo("0.04%");
        assertThat(AlertKind.CPU.format(0.0123)).isEqualTo("0.012%");
        assertThat(AlertKind.AGENT_ERRORS.format(0.001)).isEqualTo("0.001/s");
        assertThat(AlertKind.AGENT_LATENCY.format(0.049)).isEqualTo("0.049 ms");
        assertThat(AlertKind.HEAP.format(0)).isEqualTo("0.0%");
        assertThat(AlertKind.HEAP.format(0.05)).isEqualTo("0.1%");
        assertThat(new Alert(AlertKind.GC, "process", 0.3, 0.04, T0).describe())
                .isEqualTo("gc process: 0.3% (threshold 0.04%) since " + T0);
    }

    private List<AlertChange> at(int second, double value) {
        return book.update(List.of(new Reading(AlertKind.MEMORY, "io.x", value, LIMIT)), Set.of("io.x"),
                T0.plusSeconds(second), UNKNOWN_ROUNDS);
    }

    private List<AlertChange> update(double value) {
        return update(value, LIMIT);
    }

    private List<AlertChange> update(double value, Limit limit) {
        return book.update(List.of(new Reading(AlertKind.MEMORY, "io.x", value, limit)), Set.of("io.x"), T0,
                UNKNOWN_ROUNDS);
    }
}
