package io.msf.shell.internal.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.shell.testing.Gogo;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import org.apache.felix.gogo.jline.Procedural;
import org.apache.felix.service.command.CommandSession;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bound on nested commands, on sessions of the real Gogo runtime. */
class NestedCommandsTest {

    private final Gogo gogo = new Gogo().add("test", new TestCommands(), TestCommands.FUNCTIONS)
            .add("gogo", new Procedural(), "while", "each");

    @BeforeEach
    void forgetEarlierRuns() {
        TestCommands.COUNTED.drainPermits();
        TestCommands.BLOCKS_STARTED.drainPermits();
        TestCommands.REMEMBERED.clear();
    }

    @AfterEach
    void stop() {
        gogo.close();
    }

    @Test
    @Timeout(30)
    void aLineWithinTheBoundRunsWholeAndGivesBackWhatItHeldWhenItEnds() throws Exception {
        NestedCommands bound = new NestedCommands(10);
        try (NestedCommands.Session nested = bound.session(); CommandSession session = session(nested)) {
            for (int line = 0; line < 3; line++) {
                session.execute("each [a b c d e f g h i j] { test:count }");
                assertThat(TestCommands.COUNTED.drainPermits()).isEqualTo(10);
                assertThat(bound.held()).isZero();
            }
        }
    }

    /** Rounds are forgotten as they end: a loop of many more rounds than the bound runs whole. */
    @Test
    @Timeout(30)
    void aLoopOfManyMoreRoundsThanTheBoundRunsWhole() throws Exception {
        NestedCommands bound = new NestedCommands(10);
        try (NestedCommands.Session nested = bound.session(); CommandSession session = session(nested)) {
            session.execute("each [" + "x ".repeat(500) + "] { test:count }");
            assertThat(TestCommands.COUNTED.drainPermits()).isEqualTo(500);
            assertThat(bound.held()).isZero();
        }
    }

    /**
     * Gogo kept every round's job, with its buffers, until the whole line ended: while the line runs on, the
     * rounds of a loop that ended are garbage now.
     */
    @Test
    @Timeout(30)
    void theJobsOfALoopThatEndedAreFreedWhileItsLineRunsOn() throws Exception {
        NestedCommands bound = new NestedCommands(1000);
        try (NestedCommands.Session nested = bound.session(); CommandSession session = session(nested)) {
            session.execute("each [1] { each [" + "x ".repeat(50) + "] { test:remember } ; test:collected }");

            assertThat(TestCommands.REMEMBERED).hasSize(50);
            assertThat(TestCommands.COLLECTED.get()).isEqualTo(50);
        }
    }

    /** What is under way stays: a closure calling itself holds one nested command per level. */
    @Test
    @Timeout(30)
    void aClosureCallingItselfEndsWithTheRefusalOfTheLevelBeyondTheBound() throws Exception {
        NestedCommands bound = new NestedCommands(100);
        try (NestedCommands.Session nested = bound.session(); CommandSession session = session(nested)) {
            assertThatThrownBy(() -> session.execute("f = { f } ; f"))
                    .isInstanceOf(NestedCommands.NestedCommandsExceededException.class)
                    .hasMessageStartingWith("command line stopped: the console's command lines have 100 nested "
                            + "commands under way");
            assertThat(bound.held()).isZero();
            assertThat(session.execute("test:echo after")).isEqualTo("after");
        }
    }

    /**
     * The bound is the console's: what one session's running line holds leaves less for another's. Repeated: the
     * line, interrupted by its session's close, ends as its count is given back by close(), and a line's count
     * that had left the map but not yet the bound was held on after close() returned, once in a hundred or so.
     */
    @RepeatedTest(200)
    @Timeout(30)
    void sessionsShareTheBoundAndAClosedSessionGivesBackWhatItsLinesHeld() throws Exception {
        NestedCommands bound = new NestedCommands(5);
        NestedCommands.Session first = bound.session();
        CommandSession holding = session(first);
        // a line left running in the background, 3 nested commands under way: two eaches and the block
        holding.execute(nested(3, "test:block") + " &");
        assertThat(TestCommands.BLOCKS_STARTED.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        assertThat(bound.held()).isEqualTo(3);

        try (NestedCommands.Session second = bound.session(); CommandSession other = session(second)) {
            assertThatThrownBy(() -> other.execute(nested(3, "test:count")))
                    .isInstanceOf(NestedCommands.NestedCommandsExceededException.class);
            assertThat(bound.held()).as("a refused line gives back what it held").isEqualTo(3);

            holding.close();
            first.close();
            assertThat(bound.held()).isZero();
            other.execute(nested(5, "test:count"));
            assertThat(TestCommands.COUNTED.drainPermits()).isEqualTo(1);
        }
    }

    /** A session closed while its loop runs on (a client gone mid-loop): nothing more it starts is counted. */
    @Test
    @Timeout(30)
    void aClosedSessionStartsNoMoreNestedCommandsAndHoldsNothing() throws Exception {
        NestedCommands bound = new NestedCommands(10);
        NestedCommands.Session nested = bound.session();
        try (CommandSession session = session(nested)) {
            nested.close();

            assertThatThrownBy(() -> session.execute("each [a b] { test:count }"))
                    .isInstanceOf(IllegalStateException.class).hasMessage("the console session has ended");
            assertThat(TestCommands.COUNTED.availablePermits()).isZero();
            assertThat(bound.held()).isZero();
        }
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThatThrownBy(() -> new NestedCommands(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("msf.console: maxNestedCommands: 0 is below 1");
    }

    /** {@code command} inside {@code depth} eaches of one round: depth nested commands under way at its run. */
    static String nested(int depth, String command) {
        return "each [1] { ".repeat(depth) + command + " }".repeat(depth);
    }

    private CommandSession session(NestedCommands.Session nested) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandSession session = gogo.processor().createSession(InputStream.nullInputStream(), out, out);
        session.setJobListener(nested);
        return session;
    }
}
