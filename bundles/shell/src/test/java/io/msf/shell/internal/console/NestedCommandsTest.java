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

    @Test
    @Timeout(30)
    void anEndlessLoopEndsWithTheRefusalOfTheRoundBeyondTheBound() throws Exception {
        NestedCommands bound = new NestedCommands(100);
        try (NestedCommands.Session nested = bound.session(); CommandSession session = session(nested)) {
            assertThatThrownBy(() -> session.execute("while { true } { }"))
                    .isInstanceOf(NestedCommands.NestedCommandsExceededException.class)
                    .hasMessageContaining("hold 100 nested commands");
            assertThat(bound.held()).isZero();
            assertThat(session.execute("test:echo after")).isEqualTo("after");
        }
    }

    /** The bound is the console's: what one session's running line holds leaves less for another's. */
    @Test
    @Timeout(30)
    void sessionsShareTheBoundAndAClosedSessionGivesBackWhatItsLinesHeld() throws Exception {
        NestedCommands bound = new NestedCommands(10);
        NestedCommands.Session first = bound.session();
        CommandSession holding = session(first);
        // a line left running in the background, holding 5 nested commands until it ends: the inner each, its
        // 3 rounds and the block (the statements of the outer each's closure, and the rounds of the inner one)
        holding.execute("each [1] { each [a b c] { test:count }; test:block } &");
        assertThat(TestCommands.BLOCKS_STARTED.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        assertThat(bound.held()).isEqualTo(5);

        try (NestedCommands.Session second = bound.session(); CommandSession other = session(second)) {
            assertThatThrownBy(() -> other.execute("each [a b c d e f] { test:count }"))
                    .isInstanceOf(NestedCommands.NestedCommandsExceededException.class);
            assertThat(bound.held()).as("a refused line gives back what it held").isEqualTo(5);

            holding.close();
            first.close();
            assertThat(bound.held()).isZero();
            TestCommands.COUNTED.drainPermits();
            other.execute("each [a b c d e f g h i j] { test:count }");
            assertThat(TestCommands.COUNTED.drainPermits()).isEqualTo(10);
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

    private CommandSession session(NestedCommands.Session nested) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandSession session = gogo.processor().createSession(InputStream.nullInputStream(), out, out);
        session.setJobListener(nested);
        return session;
    }
}
