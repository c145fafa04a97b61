package io.msf.shell.internal.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.shell.testing.Gogo;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.felix.gogo.jline.Procedural;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.service.log.Logger;

/**
 * The local console's session (Gogo JLine's, with a line reader and Gogo JLine's own job listener) gets the
 * bound on nested commands beside that listener, on the real Gogo runtime: this fails if a Gogo upgrade
 * changes how a session keeps its listener.
 */
class LocalConsoleLoopsTest {

    private final Gogo gogo = new Gogo().add("test", new TestCommands(), TestCommands.FUNCTIONS)
            .add("gogo", new Procedural(), "while", "each");
    private final Logger log = mock(Logger.class);

    @BeforeEach
    void forgetEarlierRuns() {
        TestCommands.COUNTED.drainPermits();
    }

    @AfterEach
    void stop() {
        gogo.close();
    }

    @Test
    @Timeout(30)
    void aClosureCallingItselfInTheLocalConsoleEndsAtTheBoundAndItsOwnListenerStillHearsOfEveryJob()
            throws Exception {
        listen(new LocalConsoleLoops(config(10), log));
        List<String> heard = new CopyOnWriteArrayList<>();
        try (CommandSession session = localSession()) {
            session.setJobListener((job, previous, current) -> heard.add(job.command() + ": " + current));

            assertThatThrownBy(() -> session.execute("f = { f } ; f"))
                    .isInstanceOf(NestedCommands.NestedCommandsExceededException.class)
                    .hasMessageContaining("have 10 nested commands under way")
                    // as Gogo JLine prints it: the words alone, not the class's name before them
                    .satisfies(e -> assertThat(e.toString()).isEqualTo(e.getMessage()));
            assertThat(heard).contains("f: Foreground", "f: Done");

            session.execute("test:count &");
            assertThat(TestCommands.COUNTED.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            assertThat(heard).contains("test:count: " + Job.Status.Background);
        }
    }

    /** Gogo JLine sets its listener after running etc/gosh_profile in the session: the bound is set again. */
    @Test
    @Timeout(30)
    void aListenerSetAfterTheFirstLineTakesNotTheBoundsPlace() throws Exception {
        listen(new LocalConsoleLoops(config(10), log));
        List<String> heard = new CopyOnWriteArrayList<>();
        try (CommandSession session = localSession()) {
            session.execute("each [a b c] { test:count }"); // the profile

            session.setJobListener((job, previous, current) -> heard.add(job.command() + ": " + current));

            assertThatThrownBy(() -> session.execute("f = { f } ; f"))
                    .isInstanceOf(NestedCommands.NestedCommandsExceededException.class);
            assertThat(heard).contains("f: Done");
        }
    }

    @Test
    @Timeout(30)
    void aNewBoundAppliesToTheNextNestedCommands() throws Exception {
        LocalConsoleLoops loops = listen(new LocalConsoleLoops(config(10), log));
        try (CommandSession session = localSession()) {
            session.execute(NestedCommandsTest.nested(10, "test:count"));
            assertThat(TestCommands.COUNTED.drainPermits()).isEqualTo(1);

            loops.modified(config(20));
            session.execute(NestedCommandsTest.nested(20, "test:count"));
            assertThat(TestCommands.COUNTED.drainPermits()).isEqualTo(1);
            assertThatThrownBy(() -> session.execute(NestedCommandsTest.nested(21, "test:count")))
                    .hasMessageContaining("have 20 nested commands under way");
        }
    }

    /** The socket console's sessions have a bound of their own, and other sessions none. */
    @Test
    @Timeout(30)
    void aSessionWithoutALineReaderIsLeftAlone() throws Exception {
        listen(new LocalConsoleLoops(config(10), log));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CommandSession session = gogo.processor().createSession(InputStream.nullInputStream(), out, out)) {
            session.execute(NestedCommandsTest.nested(12, "test:count"));
            assertThat(TestCommands.COUNTED.drainPermits()).isEqualTo(1);
        }
    }

    private LocalConsoleLoops listen(LocalConsoleLoops loops) {
        ((CommandProcessorImpl) gogo.processor()).addListener(loops);
        return loops;
    }

    private CommandSession localSession() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandSession session = gogo.processor().createSession(InputStream.nullInputStream(), out, out);
        session.put(LocalConsoleFailures.READER, new Object()); // as Gogo JLine's interactive console has it
        return session;
    }

    private static ConsoleConfiguration config(int maxNestedCommands) {
        ConsoleConfiguration config = mock(ConsoleConfiguration.class);
        when(config.maxNestedCommands()).thenReturn(maxNestedCommands);
        return config;
    }
}
