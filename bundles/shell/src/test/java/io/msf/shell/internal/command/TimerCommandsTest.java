package io.msf.shell.internal.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.timer.api.TimerInfo;
import io.msf.timer.api.TimerStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimerCommandsTest {

    private static final TimerStats STATS = new TimerStats(3, 340, 2, 1, 0);
    private static final List<TimerInfo> PENDING = List.of(
            new TimerInfo(7, "io.msf.net", -120, 0, "IdleCheck[conn 4]"),
            new TimerInfo(3, "io.msf.net", 4_500, 5_000, "Heartbeat"),
            new TimerInfo(9, "com.example.app", 90_000, 0, "Retry\nwith newline"));

    private final TimerCommands commands =
            new TimerCommands(TestServices.Fixed.none().with(new TestServices.Timers(PENDING, STATS)));

    @Test
    void listsEveryPendingTimerWithUnitsAndTotals() {
        String out = commands.list(100);

        assertThat(out.lines()).containsExactly(
                "ID  OWNER            REMAINING  PERIOD  TASK",
                "--  ---------------  ---------  ------  ------------------",
                " 7  io.msf.net         -120 ms       -  IdleCheck[conn 4]",
                " 3  io.msf.net           4.5 s   5.0 s  Heartbeat",
                " 9  com.example.app     1m 30s       -  Retry with newline",
                "all owners: 3 pending, 340 fired, 2 cancelled, 1 late, 0 failed");
    }

    /** A lambda's own toString() names a hidden class and a hash: the column shows the class that wrote it. */
    @Test
    void aLambdaIsShownByTheClassThatWroteIt() {
        Runnable tick = () -> { };
        Runnable reference = this::aLambdaIsShownByTheClassThatWroteIt;
        TimerCommands lambdas = new TimerCommands(TestServices.Fixed.none().with(new TestServices.Timers(List.of(
                new TimerInfo(1, "io.msf.monitor", 171, 1_000, tick.toString()),
                new TimerInfo(2, "io.msf.dlna", 2_900, 10_000, reference.toString()),
                new TimerInfo(3, "io.msf.upnp", 12, 500, "io.msf.upnp.internal.Rounds@19de3c6")), STATS)));

        assertThat(lambdas.list(100).lines()).containsSubsequence(
                " 1  io.msf.monitor     171 ms   1.0 s  lambda in io.msf.shell.internal.command.TimerCommandsTest",
                " 2  io.msf.dlna         2.9 s  10.0 s  lambda in io.msf.shell.internal.command.TimerCommandsTest",
                " 3  io.msf.upnp         12 ms  500 ms  io.msf.upnp.internal.Rounds@19de3c6");
    }

    @Test
    void filtersByOwner() {
        String out = commands.list(100, "com.example.app");

        assertThat(out).contains("Retry").doesNotContain("Heartbeat").contains("all owners: 3 pending");
    }

    @Test
    void saysSoWhenAnOwnerHasNoTimers() {
        TimerCommands withOwners = new TimerCommands(TestServices.Fixed.none().with(new TestServices.Timers(PENDING,
                STATS, Map.of("io.msf.demo.echo", new TimerStats(0, 4, 0, 0, 0)))));

        assertThat(withOwners.list(100, "io.msf.demo.echo"))
                .startsWith("No pending timers owned by io.msf.demo.echo.\n");
    }

    /** A mistyped name listed nothing, as for a bundle with no timer pending: the user could not tell. */
    @Test
    void saysSoWhenNoBundleOfThatNameHasUsedTheTimers() {
        assertThat(commands.list(100, "io.msf.nett")).startsWith("No pending timers owned by io.msf.nett: no bundle of"
                + " that name has used the timer service (timer:stats lists those that have).\n");
    }

    @Test
    void capsTheRowsAndSaysHowManyWereLeftOut() {
        String out = commands.list(1);

        assertThat(out).contains("IdleCheck").doesNotContain("Heartbeat")
                .contains("showing 1 of 3 matching timers (-n shows more)");
    }

    /**
     * The listing asked the timer thread for every pending timer, each described by its task's toString(),
     * to show 100: with a million pending, timers ran late while an operator looked. It asks for the -n
     * soonest and takes how many there are in all from the answer (the wheel's side of this is
     * TimersTest.aBoundedListingDescribesOnlyTheTimersItReturns).
     */
    @Test
    void asksTheServiceForOnlyTheTimersItShows() {
        TestServices.Timers timers = new TestServices.Timers(PENDING, STATS);
        TimerCommands onService = new TimerCommands(TestServices.Fixed.none().with(timers));

        String out = onService.list(1, "io.msf.net");

        assertThat(timers.asked()).containsExactly(new TestServices.Timers.Asked("io.msf.net", 1));
        assertThat(out).contains("IdleCheck").doesNotContain("Heartbeat")
                .contains("showing 1 of 2 matching timers (-n shows more)")
                .contains("all owners: 3 pending");
    }

    @Test
    void rejectsANonPositiveCap() {
        assertThatThrownBy(() -> commands.list(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-n must be at least 1, not 0");
    }

    @Test
    void missingServiceIsAnErrorNamingTheBundle() {
        TimerCommands withoutTimers = new TimerCommands(TestServices.Fixed.none());

        assertThatThrownBy(() -> withoutTimers.list(100)).isInstanceOf(MissingServiceException.class)
                .hasMessageContaining("timer service is missing").hasMessageContaining("io.msf.timer");
    }

    /**
     * When maxPending refuses a bundle's timer, the message names that bundle, not the one holding the
     * timers: timer:list shows the soonest 100, in no order of owner. The figures by owner say who.
     */
    @Test
    void statsShowEachOwnersFiguresMostPendingFirst() {
        TimerCommands byOwner = new TimerCommands(TestServices.Fixed.none().with(new TestServices.Timers(PENDING,
                new TimerStats(1_000_002, 440, 12, 1, 1), Map.of(
                        "io.msf.net", new TimerStats(2, 340, 2, 1, 0),
                        "com.example.flood", new TimerStats(1_000_000, 0, 0, 0, 0),
                        "io.msf.demo.echo", new TimerStats(0, 100, 10, 0, 1)))));

        assertThat(byOwner.stats().lines()).containsExactly(
                "OWNER              PENDING  FIRED  CANCELLED  LATE  FAILED",
                "-----------------  -------  -----  ---------  ----  ------",
                "com.example.flood  1000000      0          0     0       0",
                "io.msf.net               2    340          2     1       0",
                "io.msf.demo.echo         0    100         10     0       1",
                "all owners: 1000002 pending, 440 fired, 12 cancelled, 1 late, 1 failed");
    }

    @Test
    void statsSaySoWhenNoBundleHasScheduled() {
        assertThat(commands.stats()).isEqualTo("No bundle has scheduled a timer.\n"
                + "all owners: 3 pending, 340 fired, 2 cancelled, 1 late, 0 failed\n");
    }

    @Test
    void statsWithoutTheServiceAreAnErrorNamingTheBundle() {
        assertThatThrownBy(() -> new TimerCommands(TestServices.Fixed.none()).stats())
                .isInstanceOf(MissingServiceException.class).hasMessageContaining("io.msf.timer");
    }
}
